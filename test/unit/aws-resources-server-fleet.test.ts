// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub text, CloudFormation's syntax, not templates.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deployParameters } from "../../src/aws/deploy/parameters.ts";
import { instanceArchitecture } from "../../src/aws/resources/server-fleet-ec2.ts";
import { fleetLoadBalancerName, fleetTargetGroupName } from "../../src/aws/resources/server-fleet-names.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import type { Template, TemplateValue } from "../../src/aws/template/template.ts";
import { FLEET_HEALTH_CHECK } from "../../src/model/fleet-health-check.ts";
import { LIMITS } from "../../src/model/limits.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

type Definition = Parameters<typeof normaliseApp>[0];

/** An API and a worker served by an EC2 fleet, a reporter served by a Fargate fleet. */
const APP = {
  name: "shop",
  queues: { jobs: {} },
  functions: {
    api: { handler: "src/api.handler", http: ["GET /hello"], routes: ["worker", "render"] },
    render: { handler: "src/render.handler" },
    worker: { handler: "src/worker.handler", consumes: { queue: "jobs" }, routes: "report" },
    report: {
      handler: "src/report.handler",
      routes: "api",
      permissions: [{ actions: ["s3:ListAllMyBuckets"], resources: ["*"] }],
    },
  },
  servers: {
    web: {
      functions: ["api", "worker", "render"],
      instanceType: "t4g.small",
      minSize: 2,
      maxSize: 4,
      port: 8080,
    },
    reports: {
      functions: ["report"],
      platform: "fargate",
      task: { cpu: 256, memoryMb: 512 },
      shutdownSeconds: 20,
      subnets: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    },
  },
} as const;

function synth(definition: Definition = APP as unknown as Definition): Promise<Template> {
  return synthesize(normaliseApp(definition, { accountId: "123456789012", region: "eu-west-1" }));
}

function resource(template: Template, id: string) {
  const found = template.Resources[id];
  assert.ok(found, `the template has ${id} (it has ${Object.keys(template.Resources).join(", ")})`);
  return found;
}

function props(template: Template, id: string): Record<string, TemplateValue> {
  return resource(template, id).Properties ?? {};
}

interface Statement {
  Sid: string;
  Action: string[];
  Resource: TemplateValue;
}

function statements(template: Template, roleId: string): Statement[] {
  const policies = props(template, roleId).Policies as unknown as {
    PolicyDocument: { Statement: Statement[] };
  }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

describe("server fleets in the template", () => {
  test("every fleet resource is valid against AWS's resource schemas and the policies are least privilege", async () => {
    const template = await synth();
    assert.deepEqual(await validateTemplate(template), []);
    assert.deepEqual(checkTemplatePolicies(template), []);
  });

  test("an EC2 fleet gets a launch template on Amazon Linux 2023 for its architecture, IMDSv2 only, no key pair", async () => {
    const template = await synth();
    const launch = resource(template, "WebFleetLaunchTemplate");
    const data = (launch.Properties?.LaunchTemplateData ?? {}) as Record<string, TemplateValue>;
    assert.equal(
      data.ImageId,
      "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64}}",
    );
    assert.equal(data.InstanceType, "t4g.small");
    assert.deepEqual(data.MetadataOptions, {
      HttpEndpoint: "enabled",
      HttpTokens: "required",
      HttpPutResponseHopLimit: 1,
    });
    assert.equal(data.KeyName, undefined);
    assert.deepEqual(data.IamInstanceProfile, { Arn: { "Fn::GetAtt": ["WebFleetInstanceProfile", "Arn"] } });
    assert.deepEqual(data.SecurityGroupIds, [{ "Fn::GetAtt": ["WebFleetSecurityGroup", "GroupId"] }]);
    assert.deepEqual(launch.Metadata, {
      "Sluice::Server": {
        Fleet: "web",
        Functions: ["api", "worker", "render"],
        Port: 8080,
        Schedules: false,
        ShutdownSeconds: 30,
        Artifact: { Bucket: { Ref: "ArtifactBucket" }, Key: { Ref: "WebFleetArtifactKey" } },
      },
    });
  });

  test("instance types map to their architecture: Graviton families are arm64", () => {
    for (const type of [
      "t4g.small",
      "c7g.large",
      "m7gd.xlarge",
      "c6gn.medium",
      "im4gn.large",
      "is4gen.large",
      "g5g.xlarge",
      "a1.large",
      "r8g.large",
    ])
      assert.equal(instanceArchitecture(type), "arm64", type);
    for (const type of [
      "t3.micro",
      "m7i-flex.large",
      "g4dn.xlarge",
      "g6e.xlarge",
      "c5n.large",
      "m5dn.large",
      "r7iz.large",
    ])
      assert.equal(instanceArchitecture(type), "x86_64", type);
  });

  test("the Auto Scaling group spans the default VPC's subnets, sits behind the target group and rolls one instance at a time", async () => {
    const template = await synth();
    const group = resource(template, "WebFleetAutoScalingGroup");
    assert.deepEqual(
      {
        min: group.Properties?.MinSize,
        max: group.Properties?.MaxSize,
        desired: group.Properties?.DesiredCapacity,
      },
      { min: "2", max: "4", desired: "2" },
    );
    assert.deepEqual(group.Properties?.VPCZoneIdentifier, { Ref: "WebFleetSubnets" });
    assert.equal(template.Parameters.WebFleetSubnets?.Type, "List<AWS::EC2::Subnet::Id>");
    assert.equal(template.Parameters.WebFleetVpc?.Type, "AWS::EC2::VPC::Id");
    assert.equal(template.Parameters.WebFleetArtifactKey?.Type, "String");
    assert.deepEqual(group.Properties?.TargetGroupARNs, [{ Ref: "WebFleetTargetGroup" }]);
    assert.equal(group.Properties?.HealthCheckType, "ELB");
    assert.ok(Number(group.Properties?.HealthCheckGracePeriod) > 0);
    const rolling = group.UpdatePolicy?.AutoScalingRollingUpdate as Record<string, TemplateValue>;
    assert.equal(rolling.MaxBatchSize, 1);
    assert.equal(rolling.MinInstancesInService, 2);
    assert.equal(rolling.WaitOnResourceSignals, true);
    assert.deepEqual(group.CreationPolicy, { ResourceSignal: { Count: 2, Timeout: "PT15M" } });
  });

  test("the load balancer is the only public listener: port 80 from anywhere, the fleet's port from the load balancer only", async () => {
    const template = await synth();
    const lb = props(template, "WebFleetLoadBalancerSecurityGroup").SecurityGroupIngress as Record<
      string,
      TemplateValue
    >[];
    assert.deepEqual(
      lb.map((rule) => [rule.FromPort, rule.ToPort, rule.CidrIp ?? rule.CidrIpv6]),
      [
        [80, 80, "0.0.0.0/0"],
        [80, 80, "::/0"],
      ],
    );
    const fleet = props(template, "WebFleetSecurityGroup").SecurityGroupIngress as Record<
      string,
      TemplateValue
    >[];
    assert.equal(fleet.length, 1);
    assert.deepEqual(
      {
        from: fleet[0]?.FromPort,
        to: fleet[0]?.ToPort,
        source: fleet[0]?.SourceSecurityGroupId,
        cidr: fleet[0]?.CidrIp,
      },
      {
        from: 8080,
        to: 8080,
        source: { "Fn::GetAtt": ["WebFleetLoadBalancerSecurityGroup", "GroupId"] },
        cidr: undefined,
      },
    );
    // Nothing else in the template opens anything to the internet.
    const open = JSON.stringify(template).match(/"CidrIp(v6)?":"[^"]*"/g) ?? [];
    assert.equal(open.length, 4, open.join(", "));
    assert.ok(!JSON.stringify(template).includes('"FromPort":22'), "no SSH");
  });

  test("the target group checks /healthz on the fleet's port and drains for the shutdown deadline", async () => {
    const template = await synth();
    const ec2 = props(template, "WebFleetTargetGroup");
    assert.equal(ec2.TargetType, "instance");
    assert.equal(ec2.Port, 8080);
    assert.equal(ec2.Protocol, "HTTP");
    assert.equal(ec2.HealthCheckPath, "/healthz");
    assert.deepEqual(ec2.TargetGroupAttributes, [
      { Key: "deregistration_delay.timeout_seconds", Value: "30" },
    ]);
    const fargate = props(template, "ReportsFleetTargetGroup");
    assert.equal(fargate.TargetType, "ip");
    assert.deepEqual(fargate.TargetGroupAttributes, [
      { Key: "deregistration_delay.timeout_seconds", Value: "20" },
    ]);
    const listener = props(template, "WebFleetListener");
    assert.deepEqual(
      [listener.Port, listener.Protocol, listener.DefaultActions],
      [80, "HTTP", [{ Type: "forward", TargetGroupArn: { Ref: "WebFleetTargetGroup" } }]],
    );
    const lb = props(template, "WebFleetLoadBalancer");
    assert.deepEqual(
      [lb.Scheme, lb.Type, lb.Subnets],
      ["internet-facing", "application", { Ref: "WebFleetSubnets" }],
    );
    for (const [key, value] of Object.entries(FLEET_HEALTH_CHECK)) {
      const row =
        LIMITS.elb[
          key.endsWith("Count")
            ? (key as "healthyThresholdCount")
            : (`healthCheck${key[0]?.toUpperCase()}${key.slice(1)}` as "healthCheckIntervalSeconds")
        ];
      assert.ok(value >= row.min && value <= row.max, `${key} ${value} within ${row.min}–${row.max}`);
    }
  });

  test("the load balancer's idle timeout outlasts the longest served function, and it drops invalid headers", async () => {
    const long = await synth({
      ...APP,
      functions: { ...APP.functions, render: { ...APP.functions.render, timeout: "5 minutes" } },
    } as unknown as Definition);
    const attributes = (template: Template, id: string) =>
      Object.fromEntries(
        (props(template, id).LoadBalancerAttributes as { Key: string; Value: string }[]).map((a) => [
          a.Key,
          a.Value,
        ]),
      );
    assert.deepEqual(attributes(long, "WebFleetLoadBalancer"), {
      "idle_timeout.timeout_seconds": "305",
      "routing.http.drop_invalid_header_fields.enabled": "true",
    });
    // Functions of 3 s (Lambda's default) keep ELB's default of 60 s.
    assert.equal(attributes(long, "ReportsFleetLoadBalancer")["idle_timeout.timeout_seconds"], "60");
  });

  test("outputs give the load balancer's URL and the target group", async () => {
    const template = await synth();
    assert.deepEqual(template.Outputs.WebFleetUrl?.Value, {
      "Fn::Sub": "http://${WebFleetLoadBalancer.DNSName}",
    });
    assert.deepEqual(template.Outputs.WebFleetTargetGroup?.Value, { Ref: "WebFleetTargetGroup" });
    assert.deepEqual(template.Outputs.ReportsFleetUrl?.Value, {
      "Fn::Sub": "http://${ReportsFleetLoadBalancer.DNSName}",
    });
  });

  test("the instance role holds the served functions' statements, the artifact object, its logs, its stack and Session Manager", async () => {
    const template = await synth();
    const role = props(template, "WebFleetInstanceRole");
    assert.deepEqual(role.ManagedPolicyArns, [
      { "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore" },
    ]);
    const byId = new Map(statements(template, "WebFleetInstanceRole").map((s) => [s.Sid, s]));
    assert.deepEqual([...byId.keys()].sort(), [
      "ApiRouteToQueues",
      "FetchServerArtifact",
      "FindQueueUrls",
      "ReadStackOutputs",
      "WorkerConsumeQueue",
      "WorkerRouteToFunctions",
      "WriteServerLogs",
    ]);
    assert.deepEqual(byId.get("WorkerConsumeQueue")?.Action.sort(), [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]);
    assert.deepEqual(byId.get("FetchServerArtifact")?.Resource, {
      "Fn::Sub": "arn:${AWS::Partition}:s3:::${ArtifactBucket}/${WebFleetArtifactKey}",
    });
    // The servers run without --stack: `sluice serve` finds its queues' URLs with GetQueueUrl,
    // which none of the functions' grants holds (Lambda gets the URLs in its environment).
    assert.deepEqual(byId.get("FindQueueUrls")?.Action, ["sqs:GetQueueUrl"]);
    assert.deepEqual(byId.get("FindQueueUrls")?.Resource, [{ "Fn::GetAtt": ["JobsQueue", "Arn"] }]);
    assert.deepEqual(byId.get("ReadStackOutputs")?.Action, ["cloudformation:DescribeStacks"]);
    assert.deepEqual(byId.get("ReadStackOutputs")?.Resource, {
      "Fn::Sub":
        "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}/*",
    });
    // Lambda's own log group is Lambda's; the fleet writes its own.
    assert.ok(!JSON.stringify([...byId.values()]).includes("/aws/lambda/"));
  });

  test("a fleet invokes only the functions it routes to and does not serve", async () => {
    const template = await synth();
    const web = statements(template, "WebFleetInstanceRole");
    // api routes to render (served by web, so in-process): no InvokeFunction for it.
    assert.equal(
      web.find((s) => s.Sid === "ApiRouteToFunctions"),
      undefined,
    );
    // worker routes to report, which web does not serve.
    const invoke = web.find((s) => s.Sid === "WorkerRouteToFunctions");
    assert.deepEqual(invoke?.Action, ["lambda:InvokeFunction"]);
    assert.match(JSON.stringify(invoke?.Resource), /function:shop-report"/);
    const task = statements(template, "ReportsFleetTaskRole");
    assert.match(
      JSON.stringify(task.find((s) => s.Sid === "ReportRouteToFunctions")?.Resource),
      /function:shop-api"/,
    );
    assert.ok(task.some((s) => s.Sid === "ReportDeclared1"));
  });

  test("a Fargate fleet runs the artifact in the Node 24 image with its task size, roles, logs and stop timeout", async () => {
    const template = await synth();
    const task = resource(template, "ReportsFleetTaskDefinition");
    const p = task.Properties ?? {};
    assert.deepEqual(
      [p.Cpu, p.Memory, p.NetworkMode, p.RequiresCompatibilities],
      ["256", "512", "awsvpc", ["FARGATE"]],
    );
    assert.deepEqual(p.TaskRoleArn, { "Fn::GetAtt": ["ReportsFleetTaskRole", "Arn"] });
    assert.deepEqual(p.ExecutionRoleArn, { "Fn::GetAtt": ["ReportsFleetExecutionRole", "Arn"] });
    const container = (p.ContainerDefinitions as Record<string, TemplateValue>[])[0] ?? {};
    assert.equal(container.Image, "public.ecr.aws/docker/library/node:24-slim");
    assert.equal(container.StopTimeout, 20);
    assert.equal(container.User, "node");
    const command = (container.Command as string[])[0] ?? "";
    assert.match(
      command,
      /exec node \/home\/node\/app\/node_modules\/sluice\/bin\/sluice\.js serve --artifact \/home\/node\/app --fleet reports --host 0\.0\.0\.0 --port 8080 --region "\$AWS_REGION" --shutdown-seconds 20$/,
    );
    assert.equal((container.LogConfiguration as Record<string, TemplateValue>).LogDriver, "awslogs");
    assert.equal(
      (task.Metadata?.["Sluice::Server"] as Record<string, TemplateValue> | undefined)?.Fleet,
      "reports",
    );
    // The image is public (ECR Public needs no permission): the agent only writes the task's logs,
    // to the fleet's group, not AmazonECSTaskExecutionRolePolicy's ECR and logs on "*".
    const execution = props(template, "ReportsFleetExecutionRole");
    assert.equal(execution.ManagedPolicyArns, undefined);
    const statements = JSON.parse(JSON.stringify(execution.Policies)) as {
      PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] };
    }[];
    assert.equal(statements.length, 1);
    assert.deepEqual(
      statements[0]?.PolicyDocument.Statement.map((s) => s.Action),
      [["logs:CreateLogStream", "logs:PutLogEvents"]],
    );
    assert.match(
      JSON.stringify(statements[0]?.PolicyDocument.Statement[0]?.Resource),
      /log-group:\/sluice\/[^"]*\/servers\/reports:\*/,
    );
    const service = props(template, "ReportsFleetService");
    assert.equal(service.LaunchType, "FARGATE");
    assert.equal(service.DesiredCount, 1);
    assert.deepEqual(service.NetworkConfiguration, {
      AwsvpcConfiguration: {
        AssignPublicIp: "ENABLED",
        Subnets: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        SecurityGroups: [{ "Fn::GetAtt": ["ReportsFleetSecurityGroup", "GroupId"] }],
      },
    });
    assert.deepEqual(service.LoadBalancers, [
      { ContainerName: "server", ContainerPort: 8080, TargetGroupArn: { Ref: "ReportsFleetTargetGroup" } },
    ]);
    const scaling = props(template, "ReportsFleetScalableTarget");
    assert.deepEqual(
      [scaling.MinCapacity, scaling.MaxCapacity, scaling.ScalableDimension],
      [1, 1, "ecs:service:DesiredCount"],
    );
    // A fleet with its own subnets needs no subnet lookup, only its VPC.
    assert.equal(template.Parameters.ReportsFleetSubnets, undefined);
    assert.equal(template.Parameters.ReportsFleetVpc?.Type, "AWS::EC2::VPC::Id");
  });

  test("every fleet parameter is one deploy sets: the artifact key, the looked-up VPC and subnets", async () => {
    const spec = normaliseApp(APP as unknown as Definition, { region: "eu-west-1" });
    const parameters = deployParameters({
      spec,
      template: await synthesize(spec),
      bucket: "artifacts",
      codeKeys: { api: "a.zip", worker: "w.zip", render: "r.zip", report: "p.zip" },
      lookups: {
        WebFleetArtifactKey: "servers/aa.zip",
        ReportsFleetArtifactKey: "servers/bb.zip",
        WebFleetVpc: "vpc-1",
        WebFleetSubnets: "subnet-1,subnet-2",
        ReportsFleetVpc: "vpc-1",
      },
      existing: new Set(),
    });
    const byKey = Object.fromEntries(parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
    assert.equal(byKey.WebFleetArtifactKey, "servers/aa.zip");
    assert.equal(byKey.ReportsFleetArtifactKey, "servers/bb.zip");
    assert.equal(byKey.WebFleetSubnets, "subnet-1,subnet-2");
    assert.equal(byKey.ReportsFleetVpc, "vpc-1");
  });

  test("a fleet without a load balancer gets no load balancer, no target group, no outputs and no ingress", async () => {
    const template = await synth({
      ...APP,
      servers: { web: { functions: ["worker"], loadBalancer: false } },
    } as unknown as Definition);
    for (const id of [
      "WebFleetLoadBalancer",
      "WebFleetTargetGroup",
      "WebFleetListener",
      "WebFleetLoadBalancerSecurityGroup",
    ])
      assert.equal(template.Resources[id], undefined, id);
    assert.equal(props(template, "WebFleetSecurityGroup").SecurityGroupIngress, undefined);
    assert.equal(props(template, "WebFleetAutoScalingGroup").TargetGroupARNs, undefined);
    assert.equal(props(template, "WebFleetAutoScalingGroup").HealthCheckType, "EC2");
    assert.equal(template.Outputs.WebFleetUrl, undefined);
    assert.deepEqual(await validateTemplate(template), []);
  });

  test("load balancer and target group names fit ELB's 32 characters and stay distinct when cut", () => {
    const long = normaliseApp({ ...APP, name: "a-really-long-application-name" } as unknown as Definition, {
      region: "eu-west-1",
      stage: "production-eu",
    });
    const web = long.servers?.web;
    const reports = long.servers?.reports;
    assert.ok(web && reports);
    const names = [
      fleetLoadBalancerName(long, web),
      fleetLoadBalancerName(long, reports),
      fleetTargetGroupName(long, web),
      fleetTargetGroupName(long, reports),
    ];
    for (const name of names) {
      assert.ok(name.length <= 32, `${name} is ${name.length} characters`);
      assert.match(name, LIMITS.elb.loadBalancerName.pattern);
    }
    assert.equal(new Set(names).size, 4);
    const short = normaliseApp(APP as unknown as Definition, { region: "eu-west-1" });
    assert.ok(short.servers?.web);
    assert.equal(fleetLoadBalancerName(short, short.servers.web), "shop-web");
  });

  test("a new port makes a new target group name, so CloudFormation can replace the group", () => {
    const spec = normaliseApp(APP as unknown as Definition, { region: "eu-west-1" });
    const web = spec.servers?.web;
    assert.ok(web);
    assert.notEqual(fleetTargetGroupName(spec, web), fleetTargetGroupName(spec, { ...web, port: 9090 }));
  });
});
