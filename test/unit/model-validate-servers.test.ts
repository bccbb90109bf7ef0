import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FARGATE_TASK_SIZES, LIMITS } from "../../src/model/limits.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { base, type Case, issuesOf, type Obj, runCases, setPath } from "../support/model-validate.ts";

const WEB = "servers.web";

/** The base with an HTTP API function and one fleet serving it and the queue consumer. */
function fleetApp(d: Obj): void {
  (d.functions as Obj).api = { handler: "src/api.handler", http: "ANY /{proxy+}" };
  d.servers = { web: { functions: ["api", "work"] } };
}

function app(set: Record<string, unknown> = {}): Obj {
  const d = base();
  fleetApp(d);
  for (const [at, value] of Object.entries(set)) setPath(d, at, value);
  return d;
}

/** A case on the fleet base: `set` paths are applied after it (undefined deletes). */
function fleetCase(rule: string, set: Record<string, unknown>, extra: Partial<Case> = {}): Case {
  const path = extra.path ?? Object.keys(set).at(-1) ?? "";
  return {
    rule,
    change: (d) => {
      fleetApp(d);
      for (const [at, value] of Object.entries(set)) setPath(d, at, value);
    },
    path,
    value: "value" in extra ? extra.value : set[path],
    ...(extra.mentions === undefined ? {} : { mentions: extra.mentions }),
  };
}

describe("servers: normalisation", () => {
  test("an app without servers has no servers in its spec", () => {
    assert.ok(!("servers" in normaliseApp(base())));
  });

  test("an EC2 fleet gets every default", () => {
    const spec = normaliseApp(app());
    assert.deepEqual(spec.servers, {
      web: {
        name: "web",
        functions: ["api", "work"],
        platform: "ec2",
        instanceType: "t4g.small",
        minSize: 1,
        maxSize: 1,
        port: 8080,
        loadBalancer: true,
        schedules: false,
        shutdownSeconds: 30,
      },
    });
    assert.ok(Object.isFrozen(spec.servers?.web?.functions), "the spec is frozen data");
  });

  test("a Fargate fleet gets a 0.5 vCPU, 1 GiB task and no instance type", () => {
    const web = normaliseApp(app({ [`${WEB}.platform`]: "fargate" })).servers?.web;
    assert.equal(web?.platform, "fargate");
    assert.deepEqual(web?.task, { cpu: 512, memoryMb: 1024 });
    assert.ok(!("instanceType" in (web ?? {})));
  });

  test("maxSize defaults to minSize, and written values are kept", () => {
    const web = normaliseApp(
      app({
        [`${WEB}.minSize`]: 2,
        [`${WEB}.port`]: 3000,
        [`${WEB}.schedules`]: true,
        [`${WEB}.shutdownSeconds`]: 120,
        [`${WEB}.instanceType`]: "m7i-flex.large",
        [`${WEB}.subnets`]: ["subnet-0123456789abcdef0", "subnet-1a2b3c4d"],
      }),
    ).servers?.web;
    assert.deepEqual(
      [web?.minSize, web?.maxSize, web?.port, web?.schedules, web?.shutdownSeconds, web?.instanceType],
      [2, 2, 3000, true, 120, "m7i-flex.large"],
    );
    assert.deepEqual(web?.subnets, ["subnet-0123456789abcdef0", "subnet-1a2b3c4d"]);
  });

  test("a fleet of 0 instances is valid without a role (an Auto Scaling group may be empty)", () => {
    const web = normaliseApp(app({ [`${WEB}.minSize`]: 0, [`${WEB}.maxSize`]: 4 })).servers?.web;
    assert.deepEqual([web?.minSize, web?.maxSize], [0, 4]);
  });

  test("every Fargate combination of the ECS table is accepted, and only those", () => {
    for (const [cpu, memories] of Object.entries(FARGATE_TASK_SIZES)) {
      for (const memoryMb of memories) {
        const task = { cpu: Number(cpu), memoryMb };
        const d = app({ [`${WEB}.platform`]: "fargate", [`${WEB}.task`]: task });
        assert.deepEqual(normaliseApp(d).servers?.web?.task, task);
      }
    }
    assert.deepEqual(FARGATE_TASK_SIZES[2048]?.slice(0, 2), [4096, 5120]);
    assert.equal(FARGATE_TASK_SIZES[16384]?.at(-1), 122880);
  });

  test("a function with a table trigger may be served (the trigger stays on Lambda)", () => {
    const d = app({
      "tables.t": { partitionKey: { name: "k", type: "S" }, stream: true },
      "functions.onChange": {
        handler: "src/change.handler",
        consumes: { table: "t", startingPosition: "LATEST" },
      },
      [`${WEB}.functions`]: ["api", "onChange"],
    });
    assert.deepEqual(normaliseApp(d).servers?.web?.functions, ["api", "onChange"]);
  });
});

describe("servers: names beside other components", () => {
  test("a component whose name only starts like a fleet's keeps it", () => {
    const d = app({ "functions.website": { handler: "src/site.handler" }, "queues.web-fleets": {} });
    assert.ok(normaliseApp(d).servers?.web);
  });
});

describe("servers: each fleet", () => {
  runCases([
    fleetCase("servers that is not an object", { servers: ["web"] }, { mentions: "an object" }),
    fleetCase("a fleet that is not an object", { [WEB]: "api" }),
    fleetCase(
      "a fleet name with a character names cannot hold",
      {
        servers: { "web fleet": { functions: ["api"] } },
      },
      { path: "servers.web fleet", value: "web fleet", mentions: "web-fleet" },
    ),
    fleetCase(
      "a fleet name over 32 characters",
      {
        servers: { [`w${"e".repeat(32)}`]: { functions: ["api"] } },
      },
      { path: `servers.w${"e".repeat(32)}`, value: `w${"e".repeat(32)}`, mentions: "32" },
    ),
    fleetCase(
      "two fleet names that make the same logical IDs",
      { "servers.web-a": { functions: ["api"] }, "servers.webA": { functions: ["work"] }, [WEB]: undefined },
      { path: "servers.webA", value: "webA", mentions: "WebA" },
    ),
    // Synth names a fleet's resources <Fleet>Fleet<Kind> and a component's <Name><Kind>: function
    // web-fleet-task's role would be fleet web's task role, function web-fleet's log group its.
    fleetCase(
      "a function whose logical IDs would be a fleet's",
      { "functions.web-fleet-task": { handler: "src/task.handler" } },
      { path: "functions.web-fleet-task", value: "web-fleet-task", mentions: "WebFleet" },
    ),
    fleetCase(
      "a function named after a fleet, whose log group would be the fleet's",
      { "functions.web-fleet": { handler: "src/task.handler" } },
      { path: "functions.web-fleet", value: "web-fleet", mentions: 'fleet "web"' },
    ),
    fleetCase(
      "a queue whose logical IDs would be a fleet's",
      { "queues.webFleet-log": {} },
      { path: "queues.webFleet-log", value: "webFleet-log", mentions: "WebFleet" },
    ),
    fleetCase(
      "an unknown option, with a suggestion",
      { [`${WEB}.instanceTyp`]: "t4g.small" },
      {
        mentions: '"instanceType"',
      },
    ),
    fleetCase("a fleet without functions", { [`${WEB}.functions`]: undefined }, { path: `${WEB}.functions` }),
    fleetCase("a fleet with an empty function list", { [`${WEB}.functions`]: [] }),
    fleetCase(
      "a function name that is not a string",
      { [`${WEB}.functions`]: ["api", 7] },
      {
        path: `${WEB}.functions[1]`,
        value: 7,
      },
    ),
    fleetCase(
      "a function the app does not define, with a suggestion",
      { [`${WEB}.functions`]: ["apy"] },
      {
        path: `${WEB}.functions[0]`,
        value: "apy",
        mentions: '"api"',
      },
    ),
    fleetCase(
      "a function listed twice",
      { [`${WEB}.functions`]: ["api", "api"] },
      {
        path: `${WEB}.functions[1]`,
        value: "api",
      },
    ),
    fleetCase(
      "a function in two fleets",
      { "servers.batch": { functions: ["work"] } },
      { path: "servers.batch.functions[0]", value: "work", mentions: '"web"' },
    ),
    fleetCase(
      "a platform other than ec2 and fargate",
      { [`${WEB}.platform`]: "lambda" },
      {
        mentions: '"fargate"',
      },
    ),
    fleetCase("a misspelt platform", { [`${WEB}.platform`]: "fargat" }, { mentions: 'platform: "fargate"' }),
    fleetCase("an instance type on Fargate", {
      [`${WEB}.platform`]: "fargate",
      [`${WEB}.instanceType`]: "t4g.small",
    }),
    fleetCase("an instance type with no size", { [`${WEB}.instanceType`]: "t4g" }, { mentions: "t4g.small" }),
    fleetCase(
      "an instance type in capitals",
      { [`${WEB}.instanceType`]: "T4G.SMALL" },
      {
        mentions: '"t4g.small"',
      },
    ),
    fleetCase("an instance type that is not a string", { [`${WEB}.instanceType`]: 2 }),
    fleetCase("a task on EC2", { [`${WEB}.task`]: { cpu: 512, memoryMb: 1024 } }),
    fleetCase(
      "a task cpu Fargate does not offer",
      { [`${WEB}.platform`]: "fargate", [`${WEB}.task`]: { cpu: 500, memoryMb: 1024 } },
      { path: `${WEB}.task.cpu`, value: 500, mentions: "cpu: 512" },
    ),
    fleetCase(
      "a memory the cpu does not allow",
      { [`${WEB}.platform`]: "fargate", [`${WEB}.task`]: { cpu: 256, memoryMb: 4096 } },
      { path: `${WEB}.task.memoryMb`, value: 4096, mentions: "512, 1024, 2048" },
    ),
    fleetCase(
      "a memory off the cpu's 1 GiB steps",
      { [`${WEB}.platform`]: "fargate", [`${WEB}.task`]: { cpu: 4096, memoryMb: 9000 } },
      { path: `${WEB}.task.memoryMb`, value: 9000, mentions: "8192 to 30720 in steps of 1024" },
    ),
    fleetCase(
      "an unknown option in task",
      { [`${WEB}.platform`]: "fargate", [`${WEB}.task`]: { cpu: 512, memoryMb: 1024, gpu: 1 } },
      { path: `${WEB}.task.gpu`, value: 1 },
    ),
    fleetCase("a negative minSize", { [`${WEB}.minSize`]: -1 }),
    fleetCase("a fractional maxSize", { [`${WEB}.maxSize`]: 1.5 }),
    fleetCase(
      "a maxSize below minSize",
      { [`${WEB}.minSize`]: 3, [`${WEB}.maxSize`]: 2 },
      {
        mentions: "minSize",
      },
    ),
    fleetCase("a privileged port", { [`${WEB}.port`]: 80 }, { mentions: "1024" }),
    fleetCase("a port above 65535", { [`${WEB}.port`]: 70000 }),
    fleetCase("a port that is not a number", { [`${WEB}.port`]: "8080" }),
    fleetCase("loadBalancer that is not a boolean", { [`${WEB}.loadBalancer`]: "yes" }),
    fleetCase("schedules that is not a boolean", { [`${WEB}.schedules`]: 1 }),
    fleetCase("a role other than primary and failover", { [`${WEB}.role`]: "secondary" }),
    fleetCase("a shutdown of 0 seconds", { [`${WEB}.shutdownSeconds`]: 0 }),
    fleetCase(
      "a shutdown above the load balancer's longest deregistration delay",
      {
        [`${WEB}.shutdownSeconds`]: 3601,
      },
      { mentions: "deregistration delay" },
    ),
    fleetCase(
      "a shutdown above Fargate's 120 s stopTimeout",
      { [`${WEB}.platform`]: "fargate", [`${WEB}.shutdownSeconds`]: 121 },
      { mentions: "stopTimeout" },
    ),
    fleetCase("subnets that is not an array", { [`${WEB}.subnets`]: "subnet-0123456789abcdef0" }),
    fleetCase(
      "a subnet ID of the wrong length",
      { [`${WEB}.subnets`]: ["subnet-0123456789abcdef0", "subnet-0123"] },
      { path: `${WEB}.subnets[1]`, value: "subnet-0123", mentions: "8 or 17" },
    ),
    fleetCase(
      "a subnet listed twice",
      { [`${WEB}.subnets`]: ["subnet-1a2b3c4d", "subnet-1a2b3c4d"] },
      { path: `${WEB}.subnets[1]`, value: "subnet-1a2b3c4d" },
    ),
    fleetCase(
      "one subnet for a load balancer",
      { [`${WEB}.subnets`]: ["subnet-1a2b3c4d"] },
      {
        mentions: "2 Availability Zones",
      },
    ),
  ]);

  test("one subnet is enough without a load balancer", () => {
    const d = app({ [`${WEB}.loadBalancer`]: false, [`${WEB}.subnets`]: ["subnet-1a2b3c4d"] });
    assert.deepEqual(normaliseApp(d).servers?.web?.subnets, ["subnet-1a2b3c4d"]);
  });

  test("every problem of every fleet is reported at once", () => {
    const issues = issuesOf(
      app({
        [`${WEB}.port`]: 22,
        [`${WEB}.minSize`]: -2,
        "servers.batch": { functions: ["nope"], platform: "fargate", shutdownSeconds: 500 },
      }),
    );
    assert.deepEqual(issues.map((i) => i.path).sort(), [
      "servers.batch.functions[0]",
      "servers.batch.shutdownSeconds",
      "servers.web.minSize",
      "servers.web.port",
    ]);
  });

  test("the limits rows the fleets use hold AWS's numbers", () => {
    assert.equal(LIMITS.ecs.fargateStopTimeout.max, 120);
    assert.equal(LIMITS.elb.loadBalancerName.max, 32);
    assert.equal(LIMITS.elb.targetGroupName.max, 32);
    const elb = LIMITS.elb;
    assert.deepEqual(
      [
        elb.healthCheckIntervalSeconds.min,
        elb.healthCheckIntervalSeconds.max,
        elb.healthCheckIntervalSeconds.default,
      ],
      [5, 300, 30],
    );
    assert.deepEqual([elb.healthyThresholdCount.default, elb.unhealthyThresholdCount.default], [5, 2]);
    assert.equal(elb.healthCheckTimeoutSeconds.default, 5);
    assert.ok(LIMITS.ec2.instanceType.pattern.test("u-6tb1.metal"));
    assert.ok(LIMITS.ec2.instanceType.pattern.test("c7gd.16xlarge"));
    assert.ok(!LIMITS.ec2.instanceType.pattern.test("small"));
    assert.ok(!LIMITS.elb.loadBalancerName.pattern.test("internal-web"));
    assert.ok(!LIMITS.elb.targetGroupName.pattern.test("web-"));
  });
});

const DOMAIN = { name: "api.example.com", hostedZone: "example.com", routing: "failover" };

/** A one-region hybrid app: the Lambda API (Route 53 checked) and a fleet that fails over for it. */
function roleApp(d: Obj): void {
  fleetApp(d);
  d.domain = { ...DOMAIN };
  (d.functions as Obj).api = {
    handler: "src/api.handler",
    http: "ANY /{proxy+}",
    health: { path: "/health", route53: true },
  };
  setPath(d, `${WEB}.role`, "failover");
}

function roleCase(rule: string, set: Record<string, unknown>, extra: Partial<Case> = {}): Case {
  const path = extra.path ?? Object.keys(set).at(-1) ?? "";
  return {
    rule,
    change: (d) => {
      roleApp(d);
      for (const [at, value] of Object.entries(set)) setPath(d, at, value);
    },
    path,
    value: "value" in extra ? extra.value : set[path],
    ...(extra.mentions === undefined ? {} : { mentions: extra.mentions }),
  };
}

function roleDefinition(set: Record<string, unknown> = {}): Obj {
  const d = base();
  roleApp(d);
  for (const [at, value] of Object.entries(set)) setPath(d, at, value);
  return d;
}

describe("servers: a fleet with a role behind the domain", () => {
  test("a one-region app may have a domain when a fleet has the failover role", () => {
    const spec = normaliseApp(roleDefinition());
    assert.equal(spec.servers?.web?.role, "failover");
    assert.equal(spec.domain?.routing, "failover");
    assert.ok(!("regions" in spec));
  });

  test("a primary fleet needs no Route 53 checked function: the load balancer's target health is the check", () => {
    const spec = normaliseApp(
      roleDefinition({ [`${WEB}.role`]: "primary", "functions.api.health": undefined }),
    );
    assert.equal(spec.servers?.web?.role, "primary");
  });

  test("a function with only a health route need not be served", () => {
    const d = roleDefinition({
      "functions.probe": { handler: "src/probe.handler", health: { path: "/probe" } },
    });
    assert.deepEqual(normaliseApp(d).servers?.web?.functions, ["api", "work"]);
  });

  runCases([
    roleCase(
      "a failover fleet without a Route 53 checked function",
      { "functions.api.health": undefined },
      {
        path: "domain",
        value: DOMAIN,
        mentions: "route53",
      },
    ),
    roleCase(
      "a role without the app's domain",
      { domain: undefined, "functions.api.health": undefined },
      {
        path: `${WEB}.role`,
        value: "failover",
        mentions: "domain",
      },
    ),
    roleCase("a role with latency routing", { "domain.routing": "latency" }, { mentions: '"failover"' }),
    roleCase(
      "a role without a load balancer",
      { [`${WEB}.loadBalancer`]: false },
      {
        path: `${WEB}.role`,
        value: "failover",
        mentions: "loadBalancer",
      },
    ),
    roleCase("a role on a fleet of 0 servers", { [`${WEB}.minSize`]: 0 }),
    roleCase(
      "a role on a fleet that does not serve every function with routes",
      { "functions.admin": { handler: "src/admin.handler", http: "GET /admin" } },
      { path: `${WEB}.functions`, value: ["api", "work"], mentions: '"admin"' },
    ),
    roleCase(
      "a role on a second fleet",
      {
        "servers.spare": { functions: ["admin"], role: "primary" },
        "functions.admin": { handler: "src/a.handler" },
      },
      { path: "servers.spare.role", value: "primary", mentions: '"web"' },
    ),
    roleCase(
      "servers in a multi-region app",
      { regions: { primary: "us-east-1", secondary: ["us-west-2"] } },
      {
        path: "servers",
        value: { web: { functions: ["api", "work"], role: "failover" } },
        mentions: "multi-region app",
      },
    ),
    roleCase("an invalid role, reported once (the domain stays allowed)", { [`${WEB}.role`]: "secondary" }),
  ]);

  test("a domain without regions and without a fleet role is still refused", () => {
    const issues = issuesOf(roleDefinition({ [`${WEB}.role`]: undefined }));
    assert.deepEqual(
      issues.map((i) => i.path),
      ["domain"],
    );
    assert.match(issues[0]?.message ?? "", /role/);
  });
});
