/**
 * `sluice cloud`'s server fleet parts that need no process (issue 19): the providers of the fleet
 * resource types (checks, Refs and attributes), the translation of a deployed fleet into the one
 * `sluice serve` the host runs, and the target health a `/healthz` answer means.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { zipSync } from "fflate";
import { synthesize } from "../../src/aws/synth.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { SERVER_METADATA_KEY, translateServers } from "../../src/local/cloud-host/translate-servers.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { type ResourceContext, ResourceFailure } from "../../src/local/cloudformation/resource-provider.ts";
import { healthOf } from "../../src/local/elbv2/index.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { deployTemplate } from "../support/cloud-deploy.ts";
import { tempDir } from "../support/temp.ts";

const tmp = tempDir("sluice-fleet-providers-");
after(() => tmp.cleanup());
const clock = new ManualClock();
const db = openStore(join(tmp.dir, "account.sqlite"));
after(() => db.close());
const revisions = new Map<string, number>();
const s3 = new S3Store(db, clock);
const providers = createProviders({
  s3,
  queues: { exists: () => false, delete: () => {} },
  codeDir: join(tmp.dir, "code"),
  allocatePort: async () => 45_001,
  versions: {
    next: (region, name) => {
      const n = (revisions.get(`${region}/${name}`) ?? 0) + 1;
      revisions.set(`${region}/${name}`, n);
      return n;
    },
  },
});

function context(resourceType: string, logicalId = "Thing"): ResourceContext {
  return {
    region: "eu-west-1",
    accountId: "123456789012",
    partition: "aws",
    stackName: "shop-dev",
    stackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/shop-dev/1",
    logicalId,
    resourceType,
    endpointUrl: "http://127.0.0.1:4599",
    clock,
  };
}

async function create(type: string, properties: Record<string, unknown>) {
  const provider = providers(type);
  assert.ok(provider, type);
  return provider.create(properties, context(type));
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail("expected a ResourceFailure"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ResourceFailure, String(error));
  return error.message;
}

const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];

/** A fleet's resources in the shape synth gives them (server-fleet*.ts), with its metadata. */
const FLEET_TEMPLATE = {
  Resources: {
    WebFleetLoadBalancerSecurityGroup: {
      Type: "AWS::EC2::SecurityGroup",
      Properties: {
        GroupDescription: "lb",
        VpcId: "vpc-1",
        SecurityGroupIngress: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, CidrIp: "0.0.0.0/0" }],
      },
    },
    WebFleetSecurityGroup: {
      Type: "AWS::EC2::SecurityGroup",
      Properties: {
        GroupDescription: "servers",
        VpcId: "vpc-1",
        SecurityGroupIngress: [
          {
            IpProtocol: "tcp",
            FromPort: 8080,
            ToPort: 8080,
            SourceSecurityGroupId: { "Fn::GetAtt": ["WebFleetLoadBalancerSecurityGroup", "GroupId"] },
          },
        ],
      },
    },
    WebFleetInstanceRole: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: {} } },
    WebFleetInstanceProfile: {
      Type: "AWS::IAM::InstanceProfile",
      Properties: { Roles: [{ Ref: "WebFleetInstanceRole" }] },
    },
    WebFleetLaunchTemplate: {
      Type: "AWS::EC2::LaunchTemplate",
      Properties: {
        LaunchTemplateData: {
          MetadataOptions: { HttpTokens: "required" },
          IamInstanceProfile: { Arn: { "Fn::GetAtt": ["WebFleetInstanceProfile", "Arn"] } },
        },
      },
    },
    WebFleetLoadBalancer: {
      Type: "AWS::ElasticLoadBalancingV2::LoadBalancer",
      Properties: { Scheme: "internet-facing", Type: "application", Subnets: SUBNETS },
    },
    WebFleetTargetGroup: {
      Type: "AWS::ElasticLoadBalancingV2::TargetGroup",
      Properties: {
        Port: 8080,
        Protocol: "HTTP",
        VpcId: "vpc-1",
        TargetType: "instance",
        HealthCheckPath: "/healthz",
        HealthCheckTimeoutSeconds: 3,
      },
    },
    WebFleetListener: {
      Type: "AWS::ElasticLoadBalancingV2::Listener",
      Properties: {
        LoadBalancerArn: { Ref: "WebFleetLoadBalancer" },
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [{ Type: "forward", TargetGroupArn: { Ref: "WebFleetTargetGroup" } }],
      },
    },
    WebFleetAutoScalingGroup: {
      Type: "AWS::AutoScaling::AutoScalingGroup",
      Properties: {
        MinSize: "2",
        MaxSize: "4",
        DesiredCapacity: "3",
        VPCZoneIdentifier: SUBNETS,
        LaunchTemplate: {
          LaunchTemplateId: { Ref: "WebFleetLaunchTemplate" },
          Version: { "Fn::GetAtt": ["WebFleetLaunchTemplate", "LatestVersionNumber"] },
        },
        TargetGroupARNs: [{ Ref: "WebFleetTargetGroup" }],
      },
    },
  },
};

describe("the fleet resource types in `sluice cloud`", () => {
  test("a load balancer takes a port for good: DNSName 127.0.0.1:<port>, kept on update", async () => {
    const lb = await create("AWS::ElasticLoadBalancingV2::LoadBalancer", { Subnets: SUBNETS });
    assert.equal(lb.attributes.DNSName, "127.0.0.1:45001");
    assert.match(
      lb.physicalId,
      /^arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
    );
    assert.equal(lb.attributes.LoadBalancerFullName, lb.physicalId.split(":loadbalancer/")[1]);
    assert.equal(typeof lb.attributes.CanonicalHostedZoneID, "string");
    const provider = providers("AWS::ElasticLoadBalancingV2::LoadBalancer");
    const updated = await provider?.update(
      { ...lb, properties: { Subnets: SUBNETS } },
      { Subnets: SUBNETS, SecurityGroups: ["sg-1"] },
      context("AWS::ElasticLoadBalancingV2::LoadBalancer"),
    );
    assert.equal(updated?.attributes.DNSName, "127.0.0.1:45001");
    assert.deepEqual(updated?.attributes.SecurityGroups, ["sg-1"]);
    assert.match(
      await failure(create("AWS::ElasticLoadBalancingV2::LoadBalancer", { Subnets: [SUBNETS[0]] })),
      /At least two subnets/,
    );
  });

  test("each type checks what its service checks", async () => {
    assert.match(
      await failure(create("AWS::ElasticLoadBalancingV2::TargetGroup", { Protocol: "HTTP", VpcId: "vpc-1" })),
      /required key \[Port\]/,
    );
    assert.match(
      await failure(
        create("AWS::ElasticLoadBalancingV2::TargetGroup", {
          Port: 8080,
          Protocol: "HTTP",
          VpcId: "vpc-1",
          HealthCheckPath: "healthz",
        }),
      ),
      /must begin with a '\/'/,
    );
    // ELB's name rules (limits.ts `elb.loadBalancerName`): no "internal-" prefix for a load balancer.
    assert.match(
      await failure(
        create("AWS::ElasticLoadBalancingV2::LoadBalancer", { Name: "internal-web", Subnets: SUBNETS }),
      ),
      /load balancer name 'internal-web'.*cannot begin with 'internal-'/,
    );
    assert.equal(
      (
        await create("AWS::ElasticLoadBalancingV2::TargetGroup", {
          Name: "internal-web",
          Port: 8080,
          Protocol: "HTTP",
          VpcId: "vpc-1",
        })
      ).attributes.TargetGroupName,
      "internal-web",
      "a target group may begin with internal-",
    );
    assert.match(
      await failure(create("AWS::ElasticLoadBalancingV2::LoadBalancer", { Subnets: [SUBNETS[0]] })),
      /At least two subnets/,
    );
    assert.match(
      await failure(create("AWS::ElasticLoadBalancingV2::Listener", { LoadBalancerArn: "arn:lb" })),
      /required key \[DefaultActions\]/,
    );
    assert.match(
      await failure(
        create("AWS::AutoScaling::AutoScalingGroup", {
          MinSize: 2,
          MaxSize: 4,
          DesiredCapacity: 5,
          VPCZoneIdentifier: SUBNETS,
          LaunchTemplate: { LaunchTemplateId: "lt-1", Version: "1" },
        }),
      ),
      /Desired capacity:5 must be between the specified min size:2 and max size:4/,
    );
    assert.match(
      await failure(
        create("AWS::AutoScaling::AutoScalingGroup", { MinSize: 3, MaxSize: 2, VPCZoneIdentifier: SUBNETS }),
      ),
      /Max bound, 2, must be greater than or equal to min bound, 3/,
    );
    assert.match(
      await failure(create("AWS::IAM::InstanceProfile", { Roles: ["a", "b"] })),
      /InstanceSessionsPerInstanceProfile: 1/,
    );
    assert.match(await failure(create("AWS::EC2::SecurityGroup", {})), /required key \[GroupDescription\]/);
    assert.match(
      await failure(
        create("AWS::EC2::SecurityGroup", {
          GroupDescription: "x",
          SecurityGroupIngress: [{ IpProtocol: "tcp", FromPort: 1, ToPort: 1 }],
        }),
      ),
      /Exactly one of CidrIp/,
    );
    assert.match(
      await failure(
        create("AWS::EC2::LaunchTemplate", {
          LaunchTemplateData: { MetadataOptions: { HttpTokens: "sometimes" } },
        }),
      ),
      /httpTokens is invalid/,
    );
    const fargate = {
      RequiresCompatibilities: ["FARGATE"],
      Cpu: "512",
      Memory: "1024",
      ContainerDefinitions: [{ Name: "serve", Image: "node:24-slim" }],
    };
    assert.match(await failure(create("AWS::ECS::TaskDefinition", fargate)), /network mode 'awsvpc'/);
    assert.match(
      await failure(create("AWS::ECS::Service", { TaskDefinition: "arn:td", LaunchType: "FARGATE" })),
      /Network Configuration must be provided/,
    );
  });

  test("Refs and attributes: lt-/sg- ids, task definition revisions per family, the service's ARN", async () => {
    const lt = await create("AWS::EC2::LaunchTemplate", { LaunchTemplateData: {} });
    assert.match(lt.physicalId, /^lt-[0-9a-f]{17}$/);
    assert.equal(lt.attributes.LatestVersionNumber, "1");
    const sg = await create("AWS::EC2::SecurityGroup", { GroupDescription: "x", VpcId: "vpc-9" });
    assert.match(sg.physicalId, /^sg-[0-9a-f]{17}$/);
    assert.equal(sg.attributes.VpcId, "vpc-9");
    const td = {
      NetworkMode: "awsvpc",
      RequiresCompatibilities: ["FARGATE"],
      Cpu: "512",
      Memory: "1024",
      Family: "web",
      ContainerDefinitions: [{ Name: "serve", Image: "node:24-slim" }],
    };
    const first = await create("AWS::ECS::TaskDefinition", td);
    const second = await create("AWS::ECS::TaskDefinition", td);
    assert.equal(first.physicalId, "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1");
    assert.equal(second.physicalId, "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:2");
    const cluster = await create("AWS::ECS::Cluster", { ClusterName: "fleet" });
    assert.equal(cluster.attributes.Arn, "arn:aws:ecs:eu-west-1:123456789012:cluster/fleet");
    const service = await create("AWS::ECS::Service", {
      Cluster: cluster.attributes.Arn,
      ServiceName: "web",
      TaskDefinition: first.physicalId,
      LaunchType: "FARGATE",
      DesiredCount: 2,
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: SUBNETS } },
    });
    assert.equal(service.physicalId, "arn:aws:ecs:eu-west-1:123456789012:service/fleet/web");
    assert.equal(service.attributes.Name, "web");
    const scalable = await create("AWS::ApplicationAutoScaling::ScalableTarget", {
      ServiceNamespace: "ecs",
      ScalableDimension: "ecs:service:DesiredCount",
      ResourceId: "service/fleet/web",
      MinCapacity: 2,
      MaxCapacity: 4,
    });
    assert.equal(scalable.physicalId, "service/fleet/web|ecs:service:DesiredCount|ecs");
  });
});

describe("a deployed fleet becomes one local `sluice serve`", () => {
  test("on its load balancer's port, with its artifact, as many targets as the group's desired capacity", async () => {
    const resources = await deployTemplate(FLEET_TEMPLATE, {}, providers, {
      stackName: "shop-dev",
      region: "eu-west-1",
      accountId: "123456789012",
      endpointUrl: "http://127.0.0.1:4599",
    });
    const lt = resources.find((r) => r.logicalId === "WebFleetLaunchTemplate");
    const tg = resources.find((r) => r.logicalId === "WebFleetTargetGroup");
    assert.ok(lt && tg);
    const notes: string[] = [];
    const plans = translateServers(
      "eu-west-1",
      resources,
      [
        {
          stackName: "shop-dev",
          stackId: lt.stackId,
          logicalId: lt.logicalId,
          resourceType: lt.resourceType,
          physicalId: lt.physicalId,
          metadata: {
            Fleet: "web",
            Functions: ["api", "worker"],
            Port: 8080,
            Schedules: false,
            ShutdownSeconds: 10,
            Artifact: { Bucket: "artifacts", Key: "servers/abc.zip" },
          },
        },
      ],
      notes,
    );
    assert.deepEqual(notes, []);
    assert.deepEqual(plans, [
      {
        key: "shop-dev/web",
        region: "eu-west-1",
        stackName: "shop-dev",
        fleet: "web",
        shutdownSeconds: 10,
        artifact: { bucket: "artifacts", key: "servers/abc.zip" },
        port: 45_001,
        targetGroups: [
          {
            arn: tg.physicalId,
            port: 8080,
            targetType: "instance",
            healthCheckPath: "/healthz",
            healthCheckTimeoutSeconds: 3,
          },
        ],
        desired: 3,
      },
    ]);
    assert.equal(SERVER_METADATA_KEY, "Sluice::Server");
  });

  test("synth's EC2 and Fargate fleets are accepted by the providers and become one process each", async () => {
    const spec = normaliseApp(
      {
        name: "shop",
        functions: {
          api: { handler: "src/api.handler", http: ["GET /x"] },
          worker: { handler: "src/worker.handler" },
        },
        servers: {
          web: { functions: ["api"], platform: "fargate", minSize: 2, maxSize: 3 },
          box: { functions: ["worker"], loadBalancer: false },
        },
      } as never,
      { region: "eu-west-1", accountId: "123456789012", stage: "dev" },
    );
    const template = await synthesize(spec);
    s3.createBucket("synth-artifacts", "eu-west-1", "123456789012");
    const parameters: Record<string, string> = { ArtifactBucket: "synth-artifacts" };
    for (const [name, declared] of Object.entries(template.Parameters)) {
      if (name.endsWith("FleetVpc")) parameters[name] = "vpc-1";
      else if (name.endsWith("FleetSubnets")) parameters[name] = SUBNETS.join(",");
      else if (name.endsWith("FleetArtifactKey")) parameters[name] = `servers/${name}.zip`;
      else if (name.endsWith("CodeKey")) parameters[name] = `${name}.zip`;
      else assert.ok(name === "ArtifactBucket" || declared.Default !== undefined, name);
    }
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== "AWS::Lambda::Function") continue;
      const handler = String(resource.Properties?.Handler);
      const key = JSON.stringify(resource.Properties?.Code).match(/"Ref":"(\w+CodeKey)"/)?.[1] ?? "";
      const file = `${handler.slice(0, handler.lastIndexOf("."))}.mjs`;
      s3.putObject(
        "synth-artifacts",
        parameters[key] ?? "",
        Buffer.from(zipSync({ [file]: new TextEncoder().encode("export const handler = () => 1;") })),
      );
    }
    const resources = await deployTemplate(template as never, parameters, providers, {
      stackName: "shop-dev",
      region: "eu-west-1",
      accountId: "123456789012",
      endpointUrl: "http://127.0.0.1:4599",
    });
    const metadata = resources.flatMap((r) => {
      const meta = template.Resources[r.logicalId]?.Metadata as Record<string, unknown> | undefined;
      const server = meta?.[SERVER_METADATA_KEY] as Record<string, unknown> | undefined;
      if (!server) return [];
      const artifact = server.Artifact as Record<string, { Ref: string }>;
      const resolved = {
        ...server,
        Artifact: {
          Bucket: parameters[artifact.Bucket?.Ref ?? ""],
          Key: parameters[artifact.Key?.Ref ?? ""],
        },
      };
      return [{ ...r, metadata: resolved }];
    });
    const notes: string[] = [];
    const plans = translateServers("eu-west-1", resources, metadata, notes);
    assert.deepEqual(notes, []);
    const web = plans.find((p) => p.fleet === "web");
    const box = plans.find((p) => p.fleet === "box");
    assert.equal(web?.port, 45_001, "the Fargate fleet listens on its load balancer's port");
    assert.equal(web?.desired, 2, "the service's desired count");
    assert.equal(web?.targetGroups[0]?.targetType, "ip");
    assert.equal(web?.targetGroups[0]?.healthCheckPath, "/healthz");
    assert.deepEqual(web?.artifact, { bucket: "synth-artifacts", key: "servers/WebFleetArtifactKey.zip" });
    assert.equal(box?.port, undefined, "no load balancer: any free port");
    assert.deepEqual(box?.targetGroups, []);
  });

  test("metadata without an artifact is noted, not run", () => {
    const notes: string[] = [];
    const plans = translateServers(
      "eu-west-1",
      [],
      [
        {
          stackName: "s",
          stackId: "id",
          logicalId: "X",
          resourceType: "AWS::EC2::LaunchTemplate",
          physicalId: "lt-1",
          metadata: { Fleet: "web" },
        },
      ],
      notes,
    );
    assert.deepEqual(plans, []);
    assert.match(notes[0] ?? "", /s\/X: Sluice::Server names no fleet or artifact/);
  });
});

describe("what a /healthz answer means to the target group", () => {
  test("200 healthy; other codes, timeouts, errors and a starting process with ELB's reason codes", () => {
    assert.deepEqual(healthOf({ kind: "status", status: 200 }), { state: "healthy" });
    assert.deepEqual(healthOf({ kind: "status", status: 503 }), {
      state: "unhealthy",
      reason: "Target.ResponseCodeMismatch",
      description: "Health checks failed with these codes: [503]",
    });
    assert.equal(healthOf({ kind: "timeout" }).reason, "Target.Timeout");
    assert.equal(healthOf({ kind: "error" }).reason, "Target.FailedHealthChecks");
    assert.deepEqual(
      { ...healthOf({ kind: "starting" }), description: undefined },
      { state: "initial", reason: "Elb.InitialHealthChecking", description: undefined },
    );
  });
});
