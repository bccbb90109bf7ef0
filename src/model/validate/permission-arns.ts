/**
 * ARNs in `permissions` that work in `sluice dev` and grant nothing once deployed: an ARN holding
 * the local account id (000000000000, which only the local cloud uses), or one naming a queue,
 * function, bus, table, bucket or state machine of this app by its unstaged physical name (`<app>-<name>`:
 * deployed to a stage it is `<app>-<stage>-<name>`; a bucket's also ends `-<account>-<region>`).
 * Both are errors whose fix is the stage-aware `queue:<name>`, `function:<name>`, `bus:<name>`,
 * `table:<name>` or `bucket:<name>`.
 */
import { type Issues, quoteList } from "./values.ts";

/** The account `sluice dev` and `sluice cloud` run as. */
export const LOCAL_ACCOUNT_ID = "000000000000";

export interface AppNames {
  readonly app: string;
  readonly queues: Iterable<string>;
  readonly functions: Iterable<string>;
  readonly buses: Iterable<string>;
  readonly tables?: Iterable<string>;
  readonly buckets?: Iterable<string>;
  readonly stateMachines?: Iterable<string>;
}

type Kind = "queue" | "function" | "bus" | "table" | "bucket" | "stateMachine";
/** The `-<accountId>-<region>` every physical bucket name ends with (naming.ts physicalBucketName). */
const BUCKET_NAME_SUFFIX = /-(\d{12})-[a-z]{2}(?:-[a-z]+)+-\d+$/;

export function checkPermissionArn(issues: Issues, path: string, arn: string, names: AppNames): void {
  const [, , service = "", , account = "", ...rest] = arn.split(":");
  const resource = rest.join(":");
  const own = ownResource(service, resource, names);
  if (own !== undefined) {
    issues.add(
      path,
      arn,
      `"${arn}" names ${own.kind} "${own.name}" of this app by its unstaged physical name; deployed with --stage, ` +
        `its name is ${names.app}-<stage>-${own.name}, so the grant would miss it`,
      `"${own.kind}:${own.name}", which Sluice turns into the ARN of the stage and account it deploys to`,
      `write "${own.kind}:${own.name}"`,
    );
    return;
  }
  // S3 ARNs hold no account: the local account shows in the bucket's name instead.
  const bucketAccount =
    service === "s3" ? BUCKET_NAME_SUFFIX.exec(resource.split("/")[0] ?? "")?.[1] : undefined;
  if (account !== LOCAL_ACCOUNT_ID && bucketAccount !== LOCAL_ACCOUNT_ID) return;
  issues.add(
    path,
    arn,
    `"${arn}" holds the local account id ${LOCAL_ACCOUNT_ID}, which exists only in sluice dev and sluice cloud; deployed, it grants nothing`,
    `the ARN of the real account, or a resource of this app by name: ${quoteList(examples(names))}`,
    "name a resource of this app as queue:<name>, function:<name>, bus:<name> or table:<name>, or write the real account id",
  );
}

/** The app's own resource an ARN names by its unstaged physical name (`<app>-<name>`), if any. */
function ownResource(
  service: string,
  resource: string,
  names: AppNames,
): { kind: Kind; name: string } | undefined {
  // Bucket names are the lowercased `<app>-<name>` (naming.ts physicalBucketName).
  const prefix = service === "s3" ? `${names.app.toLowerCase()}-` : `${names.app}-`;
  const physical =
    service === "sqs"
      ? resource.replace(/\.fifo$/, "")
      : service === "lambda" && resource.startsWith("function:")
        ? (resource.split(":")[1] ?? "")
        : service === "events" && resource.startsWith("event-bus/")
          ? resource.slice("event-bus/".length)
          : service === "dynamodb" && resource.startsWith("table/")
            ? (resource.split("/")[1] ?? "")
            : service === "s3"
              ? (resource.split("/")[0] ?? "").replace(BUCKET_NAME_SUFFIX, "")
              : service === "states" && /^(stateMachine|execution):/.test(resource)
                ? (resource.split(":")[1] ?? "")
                : "";
  if (!physical.startsWith(prefix)) return undefined;
  const name = physical.slice(prefix.length);
  const kind: Kind =
    service === "sqs"
      ? "queue"
      : service === "lambda"
        ? "function"
        : service === "events"
          ? "bus"
          : service === "s3"
            ? "bucket"
            : service === "states"
              ? "stateMachine"
              : "table";
  const known = new Set(
    kind === "queue"
      ? names.queues
      : kind === "function"
        ? names.functions
        : kind === "bus"
          ? names.buses
          : kind === "bucket"
            ? (names.buckets ?? [])
            : kind === "stateMachine"
              ? (names.stateMachines ?? [])
              : (names.tables ?? []),
  );
  if (kind === "bucket") {
    const bucket = [...known].find((candidate) => candidate.toLowerCase() === name);
    return bucket === undefined ? undefined : { kind, name: bucket };
  }
  return known.has(name) ? { kind, name } : undefined;
}

function examples(names: AppNames): string[] {
  const first = (kind: Kind, list: Iterable<string>) => {
    const [name] = list;
    return name === undefined ? [] : [`${kind}:${name}`];
  };
  return [
    ...first("queue", names.queues),
    ...first("function", names.functions),
    ...first("bus", names.buses),
  ];
}
