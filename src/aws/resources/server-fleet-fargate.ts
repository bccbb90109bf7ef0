/**
 * A Fargate fleet (issue 19): a cluster, a task definition running the server artifact in the
 * public Node.js image, a service behind the target group, and a scalable target for its size.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-applicationautoscaling-scalabletarget.html
 */

import { sluicePackage } from "../../bundle/sluice-package.ts";
import type { AppSpec } from "../../model/app-spec.ts";
import type { ServerSpec } from "../../model/servers.ts";
import { SERVER_DEFAULTS } from "../../model/validate/servers.ts";
import { getAtt, ref, sub } from "../template/intrinsics.ts";
import { ARTIFACT_BUCKET_PARAMETER, logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { fleetLogGroupName } from "./server-fleet-names.ts";
import { SLUICE_BIN, serveArguments, sluiceServerMetadata } from "./server-fleet-serve.ts";

/**
 * Docker's official Node.js 24 image through ECR Public: the current LTS, pulled from AWS's
 * registry without Docker Hub's anonymous pull limits and without a repository of our own;
 * `slim` is Debian without compilers, enough for bundles that are plain JavaScript.
 * https://gallery.ecr.aws/docker/library/node
 */
export const FARGATE_IMAGE = "public.ecr.aws/docker/library/node:24-slim";
/** The image's unprivileged user, and the artifact's folder in its home. */
export const TASK_USER = "node";
export const TASK_APP_DIR = "/home/node/app";
const FETCH_DIR = "/home/node/fetch";
/** The container's name in the task definition and the target group's registration. */
export const CONTAINER_NAME = "server";

/**
 * Fetches the artifact with the task role's credentials (the SDK reads them from the container
 * credentials endpoint) and unzips it with Node's own zlib: the slim image has neither the AWS CLI
 * nor unzip. The artifact is Sluice's zip (bundle/zip.ts: no zip64, entries stored or deflated,
 * sizes in the central directory), so the central directory is all there is to read; a name that
 * would land outside the app folder refuses, as bundle/unzip.ts does.
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3.7 local, 4.3.12 central headers)
 */
export const FETCH_SCRIPT = [
  'const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");',
  'const { inflateRawSync } = require("node:zlib");',
  'const { mkdirSync, writeFileSync } = require("node:fs");',
  'const { dirname, resolve, sep } = require("node:path");',
  "function unzip(zip, root) {",
  "  let end = zip.length - 22;",
  "  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;",
  '  if (end < 0) throw new Error("the artifact is not a zip");',
  "  let at = zip.readUInt32LE(end + 16);",
  "  for (let left = zip.readUInt16LE(end + 10); left > 0; left--) {",
  '    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("the artifact\'s zip directory is damaged");',
  "    const method = zip.readUInt16LE(at + 10);",
  "    const size = zip.readUInt32LE(at + 20);",
  "    const nameEnd = at + 46 + zip.readUInt16LE(at + 28);",
  "    const local = zip.readUInt32LE(at + 42);",
  '    const name = zip.toString("utf8", at + 46, nameEnd);',
  "    at = nameEnd + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);",
  "    const target = resolve(root, name);",
  '    if (!target.startsWith(root + sep)) throw new Error("the artifact names a file outside " + root + ": " + name);',
  '    if (method !== 0 && method !== 8) throw new Error("the artifact stores " + name + " with method " + method);',
  "    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);",
  "    const body = zip.subarray(start, start + size);",
  "    mkdirSync(dirname(target), { recursive: true });",
  '    writeFileSync(target, method === 8 ? inflateRawSync(body) : body, { flag: "wx" });',
  "  }",
  "}",
  "(async () => {",
  "  const object = await new S3Client({}).send(new GetObjectCommand({",
  "    Bucket: process.env.SLUICE_ARTIFACT_BUCKET, Key: process.env.SLUICE_ARTIFACT_KEY }));",
  "  unzip(Buffer.from(await object.Body.transformToByteArray()), resolve(process.argv[1]));",
  "})().catch((error) => { console.error(error); process.exit(1); });",
].join("\n");

/**
 * The S3 client the fetcher installs, at the exact version Sluice itself is built with (its
 * package.json's range without the range): every task start installs the same code.
 */
export function fetchClientPackage(): string {
  const range = sluicePackage().dependencies[FETCH_CLIENT] ?? "";
  const version = /\d+\.\d+\.\d+/.exec(range)?.[0];
  if (version === undefined) throw new Error(`Sluice's package.json has no version of ${FETCH_CLIENT}`);
  return `${FETCH_CLIENT}@${version}`;
}

const FETCH_CLIENT = "@aws-sdk/client-s3";

/** The container's shell command: fetch, install, then `exec` so SIGTERM reaches sluice serve. */
export function containerCommand(fleet: ServerSpec): string {
  const serve = [`${TASK_APP_DIR}/${SLUICE_BIN}`, ...serveArguments(fleet, TASK_APP_DIR, '"$AWS_REGION"')];
  return [
    "set -eu",
    `mkdir -p ${FETCH_DIR} ${TASK_APP_DIR}`,
    `cd ${FETCH_DIR}`,
    // The fetcher needs no install scripts; the artifact's packages (better-sqlite3) may.
    `npm install --no-audit --no-fund --omit=dev --ignore-scripts ${fetchClientPackage()}`,
    `node -e "$SLUICE_FETCH_SCRIPT" ${TASK_APP_DIR}`,
    `cd ${TASK_APP_DIR}`,
    "npm install --no-audit --no-fund --omit=dev",
    `exec node ${serve.join(" ")}`,
  ].join("\n");
}

export function fleetCluster(): TemplateResource {
  return {
    Type: "AWS::ECS::Cluster",
    Properties: {},
  };
}

/**
 * One container, awsvpc networking as Fargate requires, the task size from the fleet, and a stop
 * timeout equal to the server's shutdown deadline: ECS sends SIGTERM, then SIGKILL after it
 * (at most 120 s on Fargate, limits.ts `ecs.fargateStopTimeout`; validate/servers.ts refuses more).
 */
export function fleetTaskDefinition(spec: AppSpec, fleet: ServerSpec): TemplateResource {
  const task = fleet.task ?? SERVER_DEFAULTS.task;
  const portMappings: TemplateValue[] = [{ ContainerPort: fleet.port, Protocol: "tcp" }];
  return {
    Type: "AWS::ECS::TaskDefinition",
    Metadata: sluiceServerMetadata(fleet),
    Properties: {
      Family: sub(`\${AWS::StackName}-${fleet.name}`),
      RequiresCompatibilities: ["FARGATE"],
      NetworkMode: "awsvpc",
      Cpu: String(task.cpu),
      Memory: String(task.memoryMb),
      RuntimePlatform: { OperatingSystemFamily: "LINUX", CpuArchitecture: "X86_64" },
      TaskRoleArn: getAtt(logicalId("fleetTaskRole", fleet.name), "Arn"),
      ExecutionRoleArn: getAtt(logicalId("fleetExecutionRole", fleet.name), "Arn"),
      ContainerDefinitions: [
        {
          Name: CONTAINER_NAME,
          Image: FARGATE_IMAGE,
          Essential: true,
          User: TASK_USER,
          WorkingDirectory: "/home/node",
          EntryPoint: ["sh", "-c"],
          Command: [containerCommand(fleet)],
          PortMappings: portMappings,
          StopTimeout: fleet.shutdownSeconds,
          Environment: [
            { Name: "SLUICE_ARTIFACT_BUCKET", Value: ref(ARTIFACT_BUCKET_PARAMETER) },
            { Name: "SLUICE_ARTIFACT_KEY", Value: ref(logicalId("fleetArtifactKeyParameter", fleet.name)) },
            { Name: "SLUICE_FETCH_SCRIPT", Value: FETCH_SCRIPT },
            { Name: "AWS_REGION", Value: ref("AWS::Region") },
            { Name: "NODE_ENV", Value: "production" },
          ],
          LogConfiguration: {
            LogDriver: "awslogs",
            Options: {
              "awslogs-group": fleetLogGroupName(spec, fleet),
              "awslogs-region": ref("AWS::Region"),
              "awslogs-stream-prefix": fleet.name,
            },
          },
        },
      ],
    },
  };
}

/**
 * The service: `minSize` tasks on Fargate in the fleet's subnets. AssignPublicIp is ENABLED
 * because the default VPC's subnets are public with no NAT gateway: without a public address a
 * task cannot reach ECR Public, npm or S3 to start. The load balancer still is the only way in
 * (the security group admits the port from it alone).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html
 */
export function fleetService(fleet: ServerSpec, subnets: TemplateValue): TemplateResource {
  const properties: Record<string, TemplateValue> = {
    Cluster: ref(logicalId("fleetCluster", fleet.name)),
    TaskDefinition: ref(logicalId("fleetTaskDefinition", fleet.name)),
    LaunchType: "FARGATE",
    DesiredCount: fleet.minSize,
    NetworkConfiguration: {
      AwsvpcConfiguration: {
        AssignPublicIp: "ENABLED",
        Subnets: subnets,
        SecurityGroups: [getAtt(logicalId("fleetSecurityGroup", fleet.name), "GroupId")],
      },
    },
    // A failed deployment rolls back instead of leaving the service without healthy tasks.
    DeploymentConfiguration: {
      MinimumHealthyPercent: 100,
      MaximumPercent: 200,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    },
  };
  const resource: TemplateResource = { Type: "AWS::ECS::Service", Properties: properties };
  if (fleet.loadBalancer) {
    properties.LoadBalancers = [
      {
        ContainerName: CONTAINER_NAME,
        ContainerPort: fleet.port,
        TargetGroupArn: ref(logicalId("fleetTargetGroup", fleet.name)),
      },
    ];
    properties.HealthCheckGracePeriodSeconds = FARGATE_HEALTH_CHECK_GRACE_SECONDS;
    // The target group must belong to a load balancer (through its listener) before a service uses it.
    resource.DependsOn = [logicalId("fleetListener", fleet.name)];
  }
  return resource;
}

/** Seconds the service ignores failing load balancer checks of a new task while it installs. */
export const FARGATE_HEALTH_CHECK_GRACE_SECONDS = 300;

/**
 * The service's task count between minSize and maxSize for Application Auto Scaling (scaling
 * policies may be added by a decorator); without a RoleARN it uses the ECS service-linked role.
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html
 */
export function fleetScalableTarget(fleet: ServerSpec): TemplateResource {
  const cluster = logicalId("fleetCluster", fleet.name);
  const service = logicalId("fleetService", fleet.name);
  return {
    Type: "AWS::ApplicationAutoScaling::ScalableTarget",
    Properties: {
      ServiceNamespace: "ecs",
      ScalableDimension: "ecs:service:DesiredCount",
      ResourceId: sub(`service/\${${cluster}}/\${${service}.Name}`),
      MinCapacity: fleet.minSize,
      MaxCapacity: fleet.maxSize,
    },
  };
}
