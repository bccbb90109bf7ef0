import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { appRegions } from "../../src/model/failover.ts";
import { functionPolicy } from "../../src/model/iam/function-grants.ts";
import { type NormaliseOptions, normaliseApp } from "../../src/model/normalise.ts";
import { CHECKER_ID_PARAMETER } from "../../src/model/validate/failover-rules.ts";
import { CHECKER_ID_PARAMETER as RUNTIME_CHECKER_ID_PARAMETER } from "../../src/runtime/health-check.ts";
import { base, type Case, type Obj, runCases, setPath } from "../support/model-validate.ts";

const HEALTH = "functions.api.health";
const R53 = `${HEALTH}.route53`;

/** The issue's application on the shared base: two regions, a domain, a global table, one checked API. */
function failoverApp(d: Obj): void {
  d.regions = { primary: "us-east-1", secondary: ["us-west-2"] };
  d.domain = { name: "api.example.com", hostedZone: "example.com", routing: "failover" };
  d.tables = { hello: { partitionKey: { name: "HelloKey", type: "S" }, global: true } };
  (d.functions as Obj).api = {
    handler: "src/api.handler",
    http: "ANY /{proxy+}",
    health: { path: "/health", deepCheck: "checkTable", deepPercent: 10, route53: true },
  };
}

function app(change: (d: Obj) => void = () => {}): Obj {
  const d = base();
  failoverApp(d);
  change(d);
  return d;
}

/** A case on the failover base: `set` paths are applied after it (undefined deletes). */
function failoverCase(
  rule: string,
  set: Record<string, unknown>,
  extra: Partial<Case> & { also?: (d: Obj) => void } = {},
): Case {
  const path = extra.path ?? Object.keys(set).at(-1) ?? "";
  return {
    rule,
    change: (d) => {
      failoverApp(d);
      for (const [at, value] of Object.entries(set)) setPath(d, at, value);
      extra.also?.(d);
    },
    path,
    value: "value" in extra ? extra.value : set[path],
    ...(extra.mentions === undefined ? {} : { mentions: extra.mentions }),
    ...(extra.options === undefined ? {} : { options: extra.options }),
  };
}

const spec = (d: Obj, options?: NormaliseOptions): AppSpec => normaliseApp(d, options);

describe("failover: the base definition", () => {
  test("the issue's definition is valid", () => {
    assert.doesNotThrow(() => spec(app()));
  });
});

describe("regions", () => {
  runCases([
    failoverCase("regions that are not an object", { regions: "us-east-1" }),
    failoverCase("an unknown option in regions", { "regions.tertiary": ["eu-west-1"] }),
    failoverCase("a primary that is no AWS Region", { "regions.primary": "us-east-7" }),
    failoverCase("a misspelt primary", { "regions.primary": "us-est-1" }, { mentions: '"us-east-1"' }),
    failoverCase(
      "no secondary region",
      { "domain.routing": "latency", "regions.secondary": [] },
      { mentions: "at least one" },
    ),
    failoverCase("a secondary that is not a list", { "regions.secondary": "us-west-2" }),
    failoverCase(
      "a secondary region named twice",
      { "regions.secondary": ["us-west-2", "us-west-2"], "domain.routing": "latency" },
      { path: "regions.secondary[1]", value: "us-west-2", mentions: "twice" },
    ),
    failoverCase(
      "the primary among the secondaries",
      { "regions.secondary": ["us-east-1"] },
      { path: "regions.secondary[0]", value: "us-east-1", mentions: "primary" },
    ),
    failoverCase(
      "a secondary in another partition",
      { "regions.secondary": ["cn-north-1"] },
      { path: "regions.secondary[0]", value: "cn-north-1", mentions: "aws-cn" },
    ),
    failoverCase("a region other than the primary", { region: "eu-west-1" }, { mentions: '"us-east-1"' }),
    failoverCase(
      "a spec asked for a region that is no Region code",
      {},
      { path: "options.region", value: "mars-1", options: { region: "mars-1" } },
    ),
  ]);
});

describe("domain", () => {
  runCases([
    failoverCase("a domain that is not an object", { domain: "api.example.com" }),
    failoverCase("an unknown option in domain", { "domain.ttl": 60 }),
    failoverCase(
      "a host name with an underscore",
      { "domain.name": "api_v1.example.com" },
      { mentions: "api_v1" },
    ),
    failoverCase(
      "a label starting with a hyphen",
      { "domain.name": "-api.example.com" },
      { mentions: "hyphen" },
    ),
    failoverCase("an empty label", { "domain.name": "api..example.com" }, { mentions: "empty" }),
    failoverCase(
      "a label over 63 characters",
      { "domain.name": `${"a".repeat(64)}.example.com` },
      { mentions: "63" },
    ),
    failoverCase(
      "a name over 253 characters",
      { "domain.name": `${`${"a".repeat(60)}.`.repeat(4)}example.com` },
      { mentions: "253" },
    ),
    failoverCase(
      "a name longer than the 64 characters of an ACM certificate's domain name",
      { "domain.name": `${"a".repeat(53)}.example.com` },
      { mentions: "64" },
    ),
    failoverCase("a hosted zone that is no host name", { "domain.hostedZone": "example com" }),
    failoverCase(
      "a name outside its hosted zone",
      { "domain.name": "api.example.org" },
      { mentions: "example.com" },
    ),
    failoverCase(
      "a name that only ends like the zone",
      { "domain.name": "myexample.com" },
      { mentions: ".example.com" },
    ),
    failoverCase(
      "a routing policy Sluice does not generate",
      { "domain.routing": "weighted" },
      { mentions: "latency" },
    ),
    failoverCase(
      "a domain without regions",
      { regions: undefined, "tables.hello.global": undefined },
      { path: "domain", value: { name: "api.example.com", hostedZone: "example.com", routing: "failover" } },
    ),
    failoverCase(
      "failover routing with two secondary regions",
      { "regions.secondary": ["us-west-2", "eu-west-1"] },
      { path: "regions.secondary", value: ["us-west-2", "eu-west-1"], mentions: "latency" },
    ),
    failoverCase(
      "a domain with no Route 53 health check",
      { [`${R53}`]: undefined },
      { path: "domain", value: { name: "api.example.com", hostedZone: "example.com", routing: "failover" } },
    ),
    failoverCase(
      "a second function with a Route 53 health check",
      {
        "functions.other": { handler: "src/other.handler", health: { path: "/other-health", route53: true } },
      },
      { path: "functions.other.health.route53", value: true, mentions: '"api"' },
    ),
    failoverCase(
      "a domain for an API of health checks only",
      { "functions.api.http": undefined },
      {
        path: "domain",
        value: { name: "api.example.com", hostedZone: "example.com", routing: "failover" },
        mentions: "ANY /{proxy+}",
      },
    ),
  ]);
});

describe("health.route53", () => {
  runCases([
    failoverCase("route53 that is neither true nor an object", { [R53]: "yes" }),
    failoverCase(
      "an unknown option in route53",
      { [R53]: { regions: ["us-east-1"] } },
      { path: `${R53}.regions`, value: ["us-east-1"] },
    ),
    failoverCase(
      "an interval Route 53 does not offer",
      { [`${R53}.interval`]: "20 seconds" },
      { mentions: '"10 seconds"' },
    ),
    failoverCase("an interval without its unit", { [`${R53}.interval`]: 30 }, { mentions: '"30 seconds"' }),
    failoverCase("a failure threshold of 0", { [`${R53}.failureThreshold`]: 0 }),
    failoverCase("a failure threshold above 10", { [`${R53}.failureThreshold`]: 11 }),
    failoverCase("a fractional failure threshold", { [`${R53}.failureThreshold`]: 2.5 }),
    failoverCase("an alarm email that is no address", { [`${R53}.alarmEmail`]: "ops at example" }),
    failoverCase(
      "a Route 53 health check without a domain",
      { domain: undefined },
      { path: R53, value: true, mentions: "domain" },
    ),
    failoverCase(
      "a health path too long for Route 53's ResourcePath with the checker's secret",
      { [`${HEALTH}.path`]: `/${"h".repeat(174)}` },
      { mentions: "255" },
    ),
    failoverCase(
      "a health path that fits only without the API's stage",
      { [`${HEALTH}.path`]: `/${"h".repeat(169)}`, "api.stage": "prod" },
      { path: `${HEALTH}.path`, value: `/${"h".repeat(169)}`, mentions: "/prod/" },
    ),
  ]);

  test("a health path that leaves room for a 64-character secret is accepted", () => {
    // 174 + "?healthCheckerId=" (17) + 64 = 255, Route 53's ResourcePath limit.
    assert.doesNotThrow(() => spec(app((d) => setPath(d, `${HEALTH}.path`, `/${"h".repeat(173)}`))));
    assert.doesNotThrow(() =>
      spec(
        app((d) => {
          setPath(d, `${HEALTH}.path`, `/${"h".repeat(168)}`);
          setPath(d, "api.stage", "prod");
        }),
      ),
    );
  });

  test("the checker id parameter the path is measured with is the one the runtime reads", () => {
    assert.equal(CHECKER_ID_PARAMETER, RUNTIME_CHECKER_ID_PARAMETER);
  });
});

describe("tables.<t>.global", () => {
  runCases([
    failoverCase("global that is not a boolean", { "tables.hello.global": "yes" }),
    failoverCase(
      "a global table with a keys-only stream",
      { "tables.hello.stream": "KEYS_ONLY" },
      { mentions: "NEW_AND_OLD_IMAGES" },
    ),
    failoverCase(
      "a global table with a new-image stream",
      { "tables.hello.stream": "NEW_IMAGE" },
      { mentions: "NEW_AND_OLD_IMAGES" },
    ),
    failoverCase(
      "a global table in an app without regions",
      { regions: undefined, domain: undefined, [R53]: undefined },
      { path: "tables.hello.global", value: true, mentions: "regions" },
    ),
  ]);
});

describe("the normalised spec", () => {
  test("carries regions, the domain, the global table and the Route 53 check, defaults applied", () => {
    const s = spec(app((d) => setPath(d, "domain.name", "API.Example.com.")));
    assert.equal(s.region, "us-east-1");
    assert.deepEqual(s.regions, { primary: "us-east-1", secondary: ["us-west-2"] });
    assert.deepEqual(s.domain, { name: "api.example.com", hostedZone: "example.com", routing: "failover" });
    assert.equal(s.tables?.hello?.global, true);
    assert.equal(s.tables?.hello?.stream, "NEW_AND_OLD_IMAGES");
    assert.deepEqual(s.functions.api?.health?.route53, { intervalSeconds: 30, failureThreshold: 3 });
    assert.ok(Object.isFrozen(s.regions?.secondary));
  });

  test("takes the Route 53 check's interval, threshold and alarm email", () => {
    const s = spec(
      app((d) =>
        setPath(d, R53, { interval: "10 seconds", failureThreshold: 1, alarmEmail: "ops@example.com" }),
      ),
    );
    assert.deepEqual(s.functions.api?.health?.route53, {
      intervalSeconds: 10,
      failureThreshold: 1,
      alarmEmail: "ops@example.com",
    });
  });

  test("a global table with stream: true or NEW_AND_OLD_IMAGES keeps its stream", () => {
    for (const stream of [true, "NEW_AND_OLD_IMAGES"]) {
      const s = spec(app((d) => setPath(d, "tables.hello.stream", stream)));
      assert.equal(s.tables?.hello?.stream, "NEW_AND_OLD_IMAGES");
    }
  });

  test("each region's spec: its region, the same regions, the same table name, its own bucket names", () => {
    const withBucket = app((d) => setPath(d, "buckets.uploads", {}));
    const east = spec(withBucket);
    const west = spec(withBucket, { region: "us-west-2" });
    assert.equal(west.region, "us-west-2");
    assert.deepEqual(west.regions, east.regions);
    assert.deepEqual(appRegions(west), ["us-east-1", "us-west-2"]);
    assert.equal(west.tables?.hello?.tableName, east.tables?.hello?.tableName);
    assert.notEqual(west.buckets?.uploads?.bucketName, east.buckets?.uploads?.bucketName);
  });

  test("the region is the primary when none is asked for", () => {
    const s = spec(app((d) => setPath(d, "regions", { primary: "eu-west-1", secondary: ["eu-central-1"] })));
    assert.equal(s.region, "eu-west-1");
    assert.deepEqual(appRegions(s), ["eu-west-1", "eu-central-1"]);
  });

  test("a region asked for wins, even one the definition does not name (dev --regions)", () => {
    const s = spec(app(), { region: "eu-west-1" });
    assert.equal(s.region, "eu-west-1");
    assert.deepEqual(s.regions, { primary: "us-east-1", secondary: ["us-west-2"] });
  });

  test("region may repeat the primary", () => {
    assert.equal(spec(app((d) => setPath(d, "region", "us-east-1"))).region, "us-east-1");
  });

  test("latency routing takes several secondary regions; a domain may be the zone's apex", () => {
    const s = spec(
      app((d) => {
        setPath(d, "regions.secondary", ["us-west-2", "eu-west-1"]);
        setPath(d, "domain.routing", "latency");
        setPath(d, "domain.name", "example.com");
      }),
    );
    assert.deepEqual(appRegions(s), ["us-east-1", "us-west-2", "eu-west-1"]);
    assert.deepEqual(s.domain, { name: "example.com", hostedZone: "example.com", routing: "latency" });
  });

  test("regions alone (no domain) run the app in each region", () => {
    const s = spec(
      app((d) => {
        setPath(d, "domain", undefined);
        setPath(d, R53, undefined);
      }),
    );
    assert.equal(s.domain, undefined);
    assert.deepEqual(appRegions(s), ["us-east-1", "us-west-2"]);
  });

  test("a definition without the new fields normalises as before", () => {
    const d = base();
    d.tables = { hello: { partitionKey: { name: "HelloKey", type: "S" } } };
    (d.functions as Obj).api = { handler: "src/api.handler", http: "GET /", health: true };
    const s = spec(d);
    assert.equal(s.region, "us-east-1");
    assert.equal(appRegions(s).join(), "us-east-1");
    for (const key of ["regions", "domain"]) assert.ok(!(key in s), key);
    assert.ok(!("global" in (s.tables?.hello ?? {})));
    assert.ok(!("stream" in (s.tables?.hello ?? {})));
    assert.ok(!("route53" in (s.functions.api?.health ?? {})));
    assert.equal(spec(d, { region: "eu-west-1" }).region, "eu-west-1");
    // global: false is the same table as no global at all.
    const explicit = structuredClone(d);
    setPath(explicit, "tables.hello.global", false);
    assert.deepEqual(spec(explicit), s);
  });
});

describe("IAM of a global table", () => {
  test("table:<name> grants the same actions, on the replica in the function's own region", () => {
    const permissions = [{ actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: ["table:hello"] }];
    const withPermission = (global: boolean) =>
      app((d) => {
        setPath(d, "functions.api.permissions", permissions);
        setPath(d, "tables.hello.global", global);
      });
    for (const region of ["us-east-1", "us-west-2"]) {
      const globalSpec = spec(withPermission(true), { region });
      const fn = globalSpec.functions.api;
      assert.ok(fn);
      const policy = functionPolicy(globalSpec, fn);
      const replica = `arn:aws:dynamodb:${region}:000000000000:table/app-hello`;
      assert.ok(
        JSON.stringify(policy).includes(`"${replica}"`),
        `expected ${replica} in ${JSON.stringify(policy)}`,
      );
      const regional = normaliseApp(
        app((d) => {
          setPath(d, "functions.api.permissions", permissions);
          setPath(d, "tables.hello.global", undefined);
          setPath(d, "regions", undefined);
          setPath(d, "domain", undefined);
          setPath(d, R53, undefined);
          setPath(d, "region", region);
        }),
      );
      const regionalFn = regional.functions.api;
      assert.ok(regionalFn);
      assert.deepEqual(policy, functionPolicy(regional, regionalFn));
    }
  });
});
