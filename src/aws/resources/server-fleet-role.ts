/**
 * What a fleet's servers may do (issue 19): the statements of the functions they serve, and the
 * queue URL lookups `sluice serve` makes (model/fleet-grants.ts, the one derivation this role
 * and dev's local IAM checks of a fleet share), and what a server needs besides:
 * - its artifact: s3:GetObject on that one object of the artifact bucket;
 * - its logs (EC2: the CloudWatch agent ships the service's output with the instance's role; on
 *   Fargate the awslogs driver writes with the execution role, server-fleet-fargate.ts);
 * - cloudformation:DescribeStacks on its own stack, for `sluice serve --stack`, which reads the
 *   queues' URLs from the stack's outputs (the servers synth writes run without it and use
 *   GetQueueUrl, in the shared grants).
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { fleetGrants } from "../../model/fleet-grants.ts";
import { servicePrincipal } from "../../model/naming.ts";
import type { ServerSpec } from "../../model/servers.ts";
import { arn, ref, sub } from "../template/intrinsics.ts";
import { ARTIFACT_BUCKET_PARAMETER, logicalId, pascal } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { grantResourceValues } from "./references.ts";
import { POLICY_VERSION } from "./role.ts";
import { fleetLogGroupName } from "./server-fleet-names.ts";

/** The CloudWatch agent's calls to ship a file into an existing group (its streams). */
export const FLEET_LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"];

/** Session Manager instead of SSH: the managed policy Systems Manager's agent needs on an instance. */
const SSM_CORE_POLICY = "AmazonSSMManagedInstanceCore";
/**
 * What the awslogs driver calls with the execution role. The image comes from ECR Public, which
 * needs no permission, so AmazonECSTaskExecutionRolePolicy (ECR pulls and logs on "*") is more
 * than a fleet's tasks need.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
 */
const AWSLOGS_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"];

/** The instance role of an EC2 fleet: the fleet's statements, and Session Manager. */
export function fleetInstanceRole(spec: AppSpec, fleet: ServerSpec): TemplateResource {
  return role(
    `Instances of server fleet ${fleet.name} (sluice serve)`,
    "ec2",
    [...fleetStatements(spec, fleet), logStatement(spec, fleet)],
    [SSM_CORE_POLICY],
  );
}

export function fleetInstanceProfile(fleet: ServerSpec): TemplateResource {
  return {
    Type: "AWS::IAM::InstanceProfile",
    Properties: { Roles: [ref(logicalId("fleetInstanceRole", fleet.name))] },
  };
}

/** The task role of a Fargate fleet: what the server's code may do. */
export function fleetTaskRole(spec: AppSpec, fleet: ServerSpec): TemplateResource {
  return role(
    `Tasks of server fleet ${fleet.name} (sluice serve)`,
    "ecs-tasks",
    fleetStatements(spec, fleet),
    [],
  );
}

/** The execution role ECS uses to start a task: send its output to the fleet's log group. */
export function fleetExecutionRole(spec: AppSpec, fleet: ServerSpec): TemplateResource {
  const logs = { ...logStatement(spec, fleet, AWSLOGS_ACTIONS), Sid: "WriteTaskLogs" };
  return role(`ECS agent of server fleet ${fleet.name}`, "ecs-tasks", [logs], []);
}

/** The statements both platforms' roles hold (the EC2 role adds its log shipping). */
export function fleetStatements(spec: AppSpec, fleet: ServerSpec): TemplateValue[] {
  const statements: TemplateValue[] = fleetGrants(spec, fleet).map(({ function: fn, grant }) => ({
    Sid: `${fn === undefined ? "" : pascal(fn)}${grant.sid}`,
    Effect: "Allow",
    Action: [...grant.actions],
    Resource: grant.resources.flatMap((resource) => grantResourceValues(spec, resource)),
  }));
  statements.push(
    {
      Sid: "FetchServerArtifact",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: sub(
        `arn:\${AWS::Partition}:s3:::\${${ARTIFACT_BUCKET_PARAMETER}}/\${${logicalId("fleetArtifactKeyParameter", fleet.name)}}`,
      ),
    },
    {
      Sid: "ReadStackOutputs",
      Effect: "Allow",
      Action: ["cloudformation:DescribeStacks"],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own syntax, not a template.
      Resource: arn("cloudformation", "stack/${AWS::StackName}/*"),
    },
  );
  return statements;
}

function logStatement(
  spec: AppSpec,
  fleet: ServerSpec,
  actions: readonly string[] = FLEET_LOG_ACTIONS,
): Record<string, TemplateValue> {
  return {
    Sid: "WriteServerLogs",
    Effect: "Allow",
    Action: [...actions],
    Resource: arn("logs", `log-group:${fleetLogGroupName(spec, fleet)}:*`),
  };
}

function role(
  description: string,
  service: string,
  statements: TemplateValue[],
  managed: readonly string[],
): TemplateResource {
  const properties: Record<string, TemplateValue> = {
    Description: description,
    AssumeRolePolicyDocument: {
      Version: POLICY_VERSION,
      Statement: [
        { Effect: "Allow", Principal: { Service: servicePrincipal(service) }, Action: "sts:AssumeRole" },
      ],
    },
  };
  if (managed.length > 0) {
    properties.ManagedPolicyArns = managed.map((name) =>
      sub(`arn:\${AWS::Partition}:iam::aws:policy/${name}`),
    );
  }
  if (statements.length > 0) {
    properties.Policies = [
      { PolicyName: "sluice-server", PolicyDocument: { Version: POLICY_VERSION, Statement: statements } },
    ];
  }
  return { Type: "AWS::IAM::Role", Properties: properties };
}
