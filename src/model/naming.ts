/**
 * Physical names, ARNs and URLs derived from the normalised application. Pure string helpers, so
 * the local cloud and the deployer name things identically.
 */
import type { AppSpec, BucketSpec, FunctionSpec, QueueSpec, TableSpec } from "./app-spec.ts";
import { SluiceError } from "./errors.ts";
import { LIMITS } from "./limits.ts";
import { AWS_REGIONS } from "./regions.ts";
import { sha256Hex } from "./sha256.ts";
import type { StateMachineSpec } from "./state-machines.ts";

const FIFO_SUFFIX = ".fifo";

/**
 * A name as logical IDs spell it: `renders-dlq` → `RendersDlq`, `send_email` → `SendEmail`,
 * `sendEmail` → `SendEmail`. Synth names resources with it (aws/template/logical-ids.ts), and
 * validation refuses names that would spell the same logical ID (validate/fleet-ids.ts).
 */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => (part[0] ?? "").toUpperCase() + part.slice(1))
    .join("");
}

/** Physical Lambda function name: `${app}-${name}`. */
export function physicalFunctionName(app: string, name: string): string {
  return `${app}-${name}`;
}

/** Physical SQS queue name: `${app}-${name}`, plus `.fifo` for a FIFO queue. */
export function physicalQueueName(app: string, name: string, fifo: boolean): string {
  return `${app}-${name}${fifo ? FIFO_SUFFIX : ""}`;
}

/** Physical state machine name: `${app}-${name}` (the app's prefix includes its stage). */
export function physicalStateMachineName(app: string, name: string): string {
  return `${app}-${name}`;
}

/** Physical DynamoDB table name: `${app}-${name}` (the app's prefix includes its stage). */
export function physicalTableName(app: string, name: string): string {
  return `${app}-${name}`;
}

/** An AWS account id is 12 digits, so the `-<accountId>` of a bucket name has a known length. */
const ACCOUNT_ID_LENGTH = 12;
/** Hex characters of SHA-256 that stand for the part of a bucket name cut to fit. */
const BUCKET_HASH_LENGTH = 8;

/**
 * Physical S3 bucket name: lowercase `<app>[-<stage>]-<name>-<accountId>-<region>`. Bucket names
 * are global across every account of a partition (S3's naming rules), so the account and region
 * keep one deployment's buckets apart from every other's; S3 allows lowercase only, so the app,
 * stage and definition names are lowercased (validation refuses anything else S3 would not take).
 * @example physicalBucketName({ name: "blog", region: "eu-west-1", accountId: "123456789012" }, "content")
 *   // "blog-content-123456789012-eu-west-1"
 * @see bucketNameStem for names that would pass S3's 63 characters.
 */
export function physicalBucketName(
  spec: Pick<AppSpec, "name" | "stage" | "region" | "accountId">,
  name: string,
): string {
  return `${bucketNameStem(spec, name)}-${spec.accountId}-${spec.region}`;
}

/**
 * A bucket name before its `-<accountId>-<region>`: lowercase `<app>[-<stage>]-<name>`. When the
 * whole would pass S3's 63 characters, the stem is cut to fit and ends with `-` and the first 8
 * hex characters of the SHA-256 of the uncut stem, so two long names that share a beginning stay
 * apart. The digest leaves out the account on purpose: synth writes the same name as
 * `Fn::Sub: "<stem>-${AWS::AccountId}-${AWS::Region}"` without knowing the account it deploys to
 * (the region is the app's, known at synth).
 */
export function bucketNameStem(spec: Pick<AppSpec, "name" | "stage" | "region">, name: string): string {
  const stem = `${stagedName(spec.name, spec.stage)}-${name}`.toLowerCase();
  const budget = LIMITS.s3.bucketName.max - (ACCOUNT_ID_LENGTH + spec.region.length + 2);
  if (stem.length <= budget) return stem;
  // No `-` or `.` before the digest's hyphen: `..` and `.-` are what S3 refuses or warns about.
  const head = stem.slice(0, budget - BUCKET_HASH_LENGTH - 1).replace(/[-.]+$/, "");
  return `${head}-${sha256Hex(stem).slice(0, BUCKET_HASH_LENGTH)}`;
}

/** Definition name of the dead-letter queue Sluice creates for `source` when none is named. */
export function generatedDeadLetterName(source: string): string {
  return `${source}-dlq`;
}

/** What every physical name starts with: the app's name, then its stage when it has one. */
export function resourcePrefix(spec: Pick<AppSpec, "name" | "stage">): string {
  return stagedName(spec.name, spec.stage);
}

/** `${app}-${stage}`, or `app` without a stage. */
export function stagedName(app: string, stage: string | undefined): string {
  return stage === undefined ? app : `${app}-${stage}`;
}

/** CloudFormation stack of the application: `<app>`, or `<app>-<stage>` when deployed to a stage. */
export function stackName(spec: AppSpec): string {
  return resourcePrefix(spec);
}

const PARTITION_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(AWS_REGIONS).flatMap(([name, regions]) => regions.map((region) => [region, name] as const)),
);

/**
 * The ARN partition a region belongs to: the one AWS lists it in (regions.ts), else, for a region
 * newer than that list, the partition its prefix names. The only place Sluice decides a partition.
 */
export function partition(region: string): string {
  const listed = PARTITION_OF.get(region);
  if (listed !== undefined) return listed;
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The domain of AWS endpoints in a region's partition (CloudFormation's AWS::URLSuffix). */
export function urlSuffix(region: string): string {
  return partition(region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * The principal an AWS service acts as, e.g. `dynamodb.amazonaws.com` in the userIdentity of a
 * stream record for a TTL deletion (the same in every partition).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
 */
export function servicePrincipal(service: string): string {
  return `${service}.amazonaws.com`;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, with the region's partition. */
export function arn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:${partition(region)}:${service}:${region}:${accountId}:${resource}`;
}

/**
 * A schedule's ARN, as CreateSchedule returns it: `schedule/<group>/<name>`. Sluice's schedules are
 * in the default group (synth writes no GroupName).
 * @see https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
 */
export function scheduleArn(region: string, accountId: string, scheduleName: string): string {
  return arn("scheduler", region, accountId, `schedule/default/${scheduleName}`);
}

export function functionArn(spec: AppSpec, fn: FunctionSpec | string): string {
  const { functionName } = lookup(spec, "function", spec.functions, fn);
  return arn("lambda", spec.region, spec.accountId, `function:${functionName}`);
}

export function queueArn(spec: AppSpec, queue: QueueSpec | string): string {
  const { queueName } = lookup(spec, "queue", spec.queues, queue);
  return arn("sqs", spec.region, spec.accountId, queueName);
}

/**
 * `arn:…:dynamodb:<region>:<account>:table/<tableName>`, a table's ARN; its indexes are
 * `…/index/<name>` and its streams `…/stream/<label>`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html#amazondynamodb-resources-for-iam-policies).
 */
export function tableArn(spec: AppSpec, table: TableSpec | string): string {
  const { tableName } = lookup(spec, "table", spec.tables ?? {}, table);
  return arn("dynamodb", spec.region, spec.accountId, `table/${tableName}`);
}

/** An index's ARN; `"*"` for every index of the table. */
export function tableIndexArn(spec: AppSpec, table: TableSpec | string, index: string): string {
  return `${tableArn(spec, table)}/index/${index}`;
}

/** A stream's ARN (`label` is its StreamLabel, an ISO-8601 time); `"*"` for every stream of the table. */
export function tableStreamArn(spec: AppSpec, table: TableSpec | string, label: string): string {
  return `${tableArn(spec, table)}/stream/${label}`;
}

/**
 * `arn:<partition>:s3:::<bucketName>`: S3 bucket ARNs hold no region or account (bucket names are
 * global), https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-resources-for-iam-policies
 */
export function bucketArn(spec: AppSpec, bucket: BucketSpec | string): string {
  const { bucketName } = lookup(spec, "bucket", spec.buckets ?? {}, bucket);
  return `arn:${partition(spec.region)}:s3:::${bucketName}`;
}

/** The ARN of any bucket by its physical name (one a script made too), in `region`'s partition. */
export function bucketArnOf(region: string, bucketName: string): string {
  return `arn:${partition(region)}:s3:::${bucketName}`;
}

/** An object's ARN, `<bucketArn>/<key>`; the key may hold IAM's wildcards (`posts/*`, `*` for every object). */
export function objectArn(spec: AppSpec, bucket: BucketSpec | string, key: string): string {
  return `${bucketArn(spec, bucket)}/${key}`;
}

/**
 * A state machine's ARN, `arn:…:states:<region>:<account>:stateMachine:<name>`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html#awsstepfunctions-resources-for-iam-policies).
 */
export function stateMachineArn(spec: AppSpec, machine: StateMachineSpec | string): string {
  const { stateMachineName } = lookup(spec, "stateMachine", spec.stateMachines ?? {}, machine);
  return stateMachineArnOf(spec.region, spec.accountId, stateMachineName);
}

/**
 * A Task's Resource URI for a Step Functions integration, `arn:<partition>:states:::<api>`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html), as messages
 * show it. @example taskResourceUri("lambda:invoke") // "arn:aws:states:::lambda:invoke"
 */
export function taskResourceUri(api: string, region = "us-east-1"): string {
  return `arn:${partition(region)}:states:::${api}`;
}

/**
 * The ARN of a queue outside the app from its AWS queue URL, `https://sqs.<region>.amazonaws.com/<account>/<name>`
 * (or the legacy `https://<region>.queue.amazonaws.com/…`; https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html),
 * so a state machine's role can be granted SendMessage on it. Undefined for any other URL.
 */
export function queueArnOfUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = /^(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue)\.amazonaws\.com(?:\.cn)?$/.exec(parsed.hostname);
  const path = /^\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/.exec(parsed.pathname);
  const region = host?.[1] ?? host?.[2];
  if (parsed.protocol !== "https:" || region === undefined || path === null) return undefined;
  return arn("sqs", region, path[1] as string, path[2] as string);
}

/** The ARN of any state machine by its physical name. */
export function stateMachineArnOf(region: string, accountId: string, stateMachineName: string): string {
  return arn("states", region, accountId, `stateMachine:${stateMachineName}`);
}

/**
 * An execution's ARN: `…:execution:<machine>:<execution name>` (STANDARD), `…:express:<machine>:<execution name>:<id>`
 * (EXPRESS), as StartExecution and StartSyncExecution return them.
 */
export function executionArnOf(
  region: string,
  accountId: string,
  stateMachineName: string,
  executionName: string,
  express?: { id: string },
): string {
  return express
    ? arn("states", region, accountId, `express:${stateMachineName}:${executionName}:${express.id}`)
    : arn("states", region, accountId, `execution:${stateMachineName}:${executionName}`);
}

/** `${baseUrl}/${accountId}/${queueName}`, the shape of an SQS queue URL. */
export function queueUrl(baseUrl: string, spec: AppSpec, queue: QueueSpec | string): string {
  const { queueName } = lookup(spec, "queue", spec.queues, queue);
  return `${baseUrl.replace(/\/+$/, "")}/${spec.accountId}/${queueName}`;
}

/** The CloudWatch Logs group Lambda writes a function's logs to. */
export function logGroupName(fn: FunctionSpec): string {
  return `/aws/lambda/${fn.functionName}`;
}

const UNKNOWN = {
  function: "SLUICE_UNKNOWN_FUNCTION",
  queue: "SLUICE_UNKNOWN_QUEUE",
  table: "SLUICE_UNKNOWN_TABLE",
  bucket: "SLUICE_UNKNOWN_BUCKET",
  stateMachine: "SLUICE_UNKNOWN_STATE_MACHINE",
} as const;

/** The spec itself, or the one its name gives in `table`; an unknown name throws, naming the known ones. */
function lookup<T extends object>(
  spec: AppSpec,
  kind: keyof typeof UNKNOWN,
  table: Readonly<Record<string, T>>,
  item: T | string,
): T {
  if (typeof item !== "string") return item;
  const found = table[item];
  if (found === undefined) {
    throw new SluiceError(
      UNKNOWN[kind],
      `no ${kind} named "${item}" in app "${spec.name}"; known ${kind}s: ${known(table)}`,
      { context: { [kind]: item } },
    );
  }
  return found;
}

function known(record: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(record);
  return names.length === 0 ? "none" : names.map((name) => `"${name}"`).join(", ");
}

/** What a resource-discovery variable holds. */
export type DiscoveryAttribute =
  | "QUEUE_URL"
  | "QUEUE_ARN"
  | "FUNCTION_NAME"
  | "FUNCTION_ARN"
  | "BUS_NAME"
  | "BUS_ARN"
  | "TABLE_NAME"
  | "TABLE_ARN"
  | "BUCKET_NAME"
  | "BUCKET_ARN"
  | "STATE_MACHINE_ARN";

/**
 * The environment variable that tells a function where a resource it is wired to lives, the same
 * locally and after deploy: `SLUICE_QUEUE_<NAME>_URL`, `SLUICE_QUEUE_<NAME>_ARN`,
 * `SLUICE_FUNCTION_<NAME>_NAME`, `SLUICE_FUNCTION_<NAME>_ARN` (and `_BUS_`, `_TABLE_`, `_BUCKET_` alike),
 * `SLUICE_STATE_MACHINE_<NAME>_ARN`, where NAME is the definition name
 * upper-cased with every other character than a letter or digit turned into `_`.
 * @example discoveryVariable("QUEUE_URL", "renders-dlq") // "SLUICE_QUEUE_RENDERS_DLQ_URL"
 */
export function discoveryVariable(attribute: DiscoveryAttribute, name: string): string {
  // The kind may be two words (STATE_MACHINE): the field is the last one.
  const split = attribute.lastIndexOf("_");
  const kind = attribute.slice(0, split);
  const field = attribute.slice(split + 1);
  return `SLUICE_${kind}_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_${field}`;
}
