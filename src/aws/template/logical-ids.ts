/**
 * Logical IDs derive only from a component's name in the definition and the kind of resource, so
 * renaming one component changes its IDs and nothing else does (adding or removing others, the
 * order of the definition, decorators). `renders-dlq` becomes `RendersDlqQueue`.
 */
import { SluiceError } from "../../model/errors.ts";
import { pascal } from "../../model/naming.ts";

/** Suffix of each kind of resource Sluice generates. */
const LOGICAL_ID_SUFFIX = {
  function: "Function",
  role: "Role",
  logGroup: "LogGroup",
  queue: "Queue",
  eventSourceMapping: "EventSourceMapping",
  eventInvokeConfig: "EventInvokeConfig",
  codeKeyParameter: "CodeKey",
  functionNameOutput: "FunctionName",
  queueUrlOutput: "QueueUrl",
  table: "Table",
  tableNameOutput: "TableName",
  /** The global table stack's AWS::DynamoDB::GlobalTable (global-table.ts). */
  globalTable: "GlobalTable",
  /** A regional stack's parameter: the stream ARN of a global table's replica in its region. */
  tableStreamArnParameter: "StreamArn",
  /** The global stack's per-region parts, named by the region (route53.ts, alarms.ts). */
  regionHealthCheck: "HealthCheck",
  regionRecordSet: "RecordSet",
  regionHealthAlarm: "HealthAlarm",
  regionApiHostParameter: "ApiHost",
  regionDomainTargetParameter: "DomainTarget",
  regionDomainZoneParameter: "DomainHostedZoneId",
  regionHealthCheckerIdParameter: "HealthCheckerId",
  /** Named by the route key (see routeKeyName). */
  httpRoute: "HttpRoute",
  httpIntegration: "HttpIntegration",
  httpPermission: "HttpApiPermission",
  /** Named by the route key (see routeKeyName). */
  webSocketRoute: "WebSocketRoute",
  webSocketIntegration: "WebSocketIntegration",
  webSocketPermission: "WebSocketApiPermission",
  healthCheckerIdParameter: "HealthCheckerId",
  healthForceFailParameter: "HealthForceFail",
  eventBus: "EventBus",
  eventRule: "EventRule",
  /** Named `<rule>-<function>`. */
  eventRulePermission: "EventRulePermission",
  /** The role a rule uses to put events on its bus targets. */
  eventRuleRole: "EventRuleRole",
  /**
   * The one policy per queue letting AWS services send to it: EventBridge rules and S3 buckets
   * (named before buckets existed, and kept: a queue policy under a new ID would be created,
   * then the old one deleted, and deleting a QueuePolicy empties the queue's policy).
   */
  eventsQueuePolicy: "EventsQueuePolicy",
  bucket: "Bucket",
  bucketPolicy: "BucketPolicy",
  bucketNameOutput: "BucketName",
  /** Named `<bucket>-<function>`: lets S3 invoke a function the bucket notifies. */
  bucketPermission: "BucketPermission",
  /** A Step Functions state machine (state-machine.ts), the role it runs with and its log group. */
  stateMachine: "StateMachine",
  stateMachineRole: "StateMachineRole",
  stateMachineLogGroup: "StateMachineLogGroup",
  stateMachineArnOutput: "StateMachineArn",
  /**
   * A server fleet (issue 19, resources/server-fleet*.ts), named by the fleet: `web` becomes
   * `WebFleetLaunchTemplate`, … The launch template (EC2) or task definition (Fargate) carries the
   * `Sluice::Server` metadata `sluice cloud` reads to run the fleet as a local `sluice serve`.
   */
  fleetLaunchTemplate: "FleetLaunchTemplate",
  fleetAutoScalingGroup: "FleetAutoScalingGroup",
  fleetInstanceRole: "FleetInstanceRole",
  fleetInstanceProfile: "FleetInstanceProfile",
  fleetSecurityGroup: "FleetSecurityGroup",
  fleetLoadBalancer: "FleetLoadBalancer",
  fleetLoadBalancerSecurityGroup: "FleetLoadBalancerSecurityGroup",
  fleetTargetGroup: "FleetTargetGroup",
  fleetListener: "FleetListener",
  fleetCluster: "FleetCluster",
  fleetTaskDefinition: "FleetTaskDefinition",
  fleetService: "FleetService",
  fleetTaskRole: "FleetTaskRole",
  fleetExecutionRole: "FleetExecutionRole",
  fleetLogGroup: "FleetLogGroup",
  /** The parameter holding the key of the fleet's server artifact in the artifact bucket. */
  fleetArtifactKeyParameter: "FleetArtifactKey",
  /**
   * Deploy-time lookups (server-fleet.ts declares them, deploy/fleet-network.ts fills them):
   * the subnets of a fleet without `subnets` (the default VPC's), and the VPC of its subnets.
   */
  fleetSubnetsParameter: "FleetSubnets",
  fleetVpcParameter: "FleetVpc",
  /** Application Auto Scaling's scalable target of a Fargate fleet's service (min/max tasks). */
  fleetScalableTarget: "FleetScalableTarget",
  /** The fleet's alias record behind the app's domain, beside the Lambda API's (fleet-failover.ts). */
  fleetRecordSet: "FleetRecordSet",
  /** HTTPS on 443 with the domain's certificate, for the fleet behind the domain (fleet-failover.ts). */
  fleetHttpsListener: "FleetHttpsListener",
  /** `http://<load balancer DNS name>`: what deploy prints and the failover record aliases. */
  fleetUrlOutput: "FleetUrl",
  /** The target group's ARN: what deploy waits on for healthy targets. */
  fleetTargetGroupOutput: "FleetTargetGroup",
} as const;

/**
 * The HTTP API's custom domain in a regional stack (domain.ts): one per app, so fixed IDs. The
 * outputs are what the global stack's alias records and health checks read (as parameters).
 */
export const DOMAIN_LOGICAL_IDS = {
  hostedZoneParameter: "HostedZoneId",
  certificate: "ApiCertificate",
  domainName: "ApiDomainName",
  apiMapping: "ApiDomainMapping",
  targetOutput: "ApiDomainTarget",
  zoneOutput: "ApiDomainHostedZoneId",
  apiHostOutput: "HttpApiHost",
  /**
   * A one-region app whose fleet has a `role` (fleet-failover.ts): the Lambda API's health check
   * and its alias record, beside the fleet's, in the app's own stack.
   */
  apiHealthCheck: "ApiHealthCheck",
  apiRecordSet: "ApiRecordSet",
  /** The global stack's SNS topic for the health alarms (alarms.ts). */
  alarmTopic: "HealthAlarmTopic",
  alarmSubscription: "HealthAlarmEmail",
} as const;

/** The app has at most one HTTP and one WebSocket API, so theirs are fixed IDs. */
export const API_LOGICAL_IDS = {
  httpApi: "HttpApi",
  httpStage: "HttpApiStage",
  httpUrlOutput: "HttpApiUrl",
  websocketApi: "WebSocketApi",
  websocketStage: "WebSocketApiStage",
  websocketUrlOutput: "WebSocketUrl",
  websocketCallbackUrlOutput: "WebSocketCallbackUrl",
} as const;

export type LogicalIdKind = keyof typeof LOGICAL_ID_SUFFIX;

/** The artifact bucket parameter every function's code comes from. */
export const ARTIFACT_BUCKET_PARAMETER = "ArtifactBucket";

/** CloudFormation allows letters and digits only, at most 255 characters. */
const MAX_LOGICAL_ID = 255;

export function logicalId(kind: LogicalIdKind, name: string): string {
  const id = `${pascal(name)}${LOGICAL_ID_SUFFIX[kind]}`;
  if (id.length > MAX_LOGICAL_ID) {
    throw new SluiceError(
      "SLUICE_LOGICAL_ID_TOO_LONG",
      `the name "${name}" makes the logical ID ${id}, ${id.length} characters; CloudFormation allows ${MAX_LOGICAL_ID}. Use a shorter name.`,
      { context: { name, kind } },
    );
  }
  return id;
}

/**
 * The name a route's logical ID is made from: `GET /items/{id}` → `GET items param id`,
 * `ANY /{proxy+}` → `ANY param proxy greedy`; `$default` → `default`. A custom WebSocket key
 * gets `custom`, so it never meets a `$` key: `connect` → `custom connect`, `$connect` → `connect`.
 */
export function routeKeyName(routeKey: string, api: "http" | "websocket"): string {
  if (routeKey.startsWith("$")) return routeKey.slice(1);
  if (api === "websocket") return `custom ${routeKey}`;
  return routeKey.replaceAll("{", " param ").replaceAll("+", " greedy ");
}

/** Re-exported for synth's resources, which name things as logical IDs do (model/naming.ts). */
export { pascal };
