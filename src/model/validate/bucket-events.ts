/**
 * A bucket's `events`: S3 event notifications to a function or a queue, read with S3's rules. Two
 * notifications whose event types overlap (the same type, or a family `s3:ObjectCreated:*` and one
 * of its events) may not have overlapping key filters: S3 refuses the whole configuration
 * ("Configurations overlap"). Two prefixes overlap when some key can begin with both (one begins
 * the other, or either is absent), two suffixes when some key can end with both; a prefix and a
 * suffix always fit one key, so two filters overlap when their prefixes and their suffixes both do.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 */
import type { BucketNotificationSpec } from "../app-spec.ts";
import type { S3EventType } from "../buckets.ts";
import { LIMITS } from "../limits.ts";
import { closest, didYouMean } from "./suggest.ts";
import { checkKeys, type Issues, isRecord, join, quoteList, readString } from "./values.ts";

/** Every event type a notification can name (S3EventType, as a value). */
export const S3_EVENT_TYPES: readonly S3EventType[] = [
  "s3:ObjectCreated:*",
  "s3:ObjectCreated:Put",
  "s3:ObjectCreated:Post",
  "s3:ObjectCreated:Copy",
  "s3:ObjectCreated:CompleteMultipartUpload",
  "s3:ObjectRemoved:*",
  "s3:ObjectRemoved:Delete",
  "s3:ObjectRemoved:DeleteMarkerCreated",
  "s3:LifecycleExpiration:*",
  "s3:LifecycleExpiration:Delete",
  "s3:LifecycleExpiration:DeleteMarkerCreated",
  "s3:ObjectTagging:*",
  "s3:ObjectTagging:Put",
  "s3:ObjectTagging:Delete",
];
/**
 * Every event type S3 takes in a notification configuration: the definition's, and those of
 * features Sluice does not model (restores, replication, transitions, ACLs), which a template or
 * an API call written by hand may name. Same page as S3EventType, and "Receiving replication
 * failure events": https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html
 */
export const S3_NOTIFICATION_EVENT_TYPES: readonly string[] = [
  ...S3_EVENT_TYPES,
  "s3:ObjectRestore:*",
  "s3:ObjectRestore:Post",
  "s3:ObjectRestore:Completed",
  "s3:ObjectRestore:Delete",
  "s3:ReducedRedundancyLostObject",
  "s3:Replication:*",
  "s3:Replication:OperationFailedReplication",
  "s3:Replication:OperationMissedThreshold",
  "s3:Replication:OperationReplicatedAfterThreshold",
  "s3:Replication:OperationNotTracked",
  "s3:LifecycleTransition",
  "s3:IntelligentTiering",
  "s3:ObjectAcl:Put",
];
const EVENT_KEYS = ["function", "queue", "on", "prefix", "suffix"] as const;
const EXAMPLE = `{ function: "render", on: ["s3:ObjectCreated:*"], prefix: "posts/", suffix: ".md" }`;
const FILTER = LIMITS.s3.keyFilterValue;
const CONFIGURATIONS = LIMITS.s3.notificationConfigurations;

/** Reads `events`; undefined when any entry was invalid (each problem is recorded). */
export function readBucketEvents(
  issues: Issues,
  path: string,
  value: unknown,
): { path: string; spec: BucketNotificationSpec }[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.add(
      path,
      value,
      "events must be a list of notifications",
      "an array",
      `write events: [${EXAMPLE}]`,
    );
    return undefined;
  }
  const read = value.map((raw: unknown, index) => readEvent(issues, join(path, index), raw, index));
  const valid = read.filter((n): n is { path: string; spec: BucketNotificationSpec } => n !== undefined);
  if (valid.length !== read.length) return undefined;
  const before = issues.list.length;
  checkOverlaps(issues, valid);
  checkCount(issues, path, valid);
  return issues.list.length === before ? valid : undefined;
}

function readEvent(
  issues: Issues,
  path: string,
  raw: unknown,
  index: number,
): { path: string; spec: BucketNotificationSpec } | undefined {
  if (!isRecord(raw)) {
    issues.add(
      path,
      raw,
      "a notification must be an object",
      "{ function | queue, on, prefix?, suffix? }",
      `write ${EXAMPLE}`,
    );
    return undefined;
  }
  const before = issues.list.length;
  checkKeys(issues, path, raw, EVENT_KEYS);
  const target = readTarget(issues, path, raw);
  const events = readOn(issues, join(path, "on"), raw.on);
  const prefix = readFilter(issues, join(path, "prefix"), raw.prefix);
  const suffix = readFilter(issues, join(path, "suffix"), raw.suffix);
  if (issues.list.length !== before || target === undefined || events === undefined) return undefined;
  return {
    path,
    spec: {
      id: `${target.kind}-${index}`,
      target,
      events,
      ...(prefix === undefined ? {} : { prefix }),
      ...(suffix === undefined ? {} : { suffix }),
    },
  };
}

function readTarget(
  issues: Issues,
  path: string,
  raw: Record<string, unknown>,
): BucketNotificationSpec["target"] | undefined {
  const given = (["function", "queue"] as const).filter((kind) => raw[kind] !== undefined);
  if (given.length !== 1) {
    issues.add(
      path,
      raw,
      given.length === 0
        ? "a notification needs a destination: a function of the app or a standard queue"
        : "a notification has one destination (S3 sends each configuration to one function or queue)",
      "exactly one of function or queue",
      given.length === 0 ? `add function: "<name>" or queue: "<name>"` : "split it into two notifications",
    );
    return undefined;
  }
  const kind = given[0] as "function" | "queue";
  const name = readString(issues, join(path, kind), raw[kind], `${kind}: "render"`);
  return name === undefined ? undefined : { kind, name };
}

function readOn(issues: Issues, path: string, value: unknown): S3EventType[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    issues.add(
      path,
      value,
      value === undefined
        ? "a notification needs the event types it is for"
        : "on must be a non-empty list of S3 event types",
      "a non-empty list of S3 event types",
      `write on: ["s3:ObjectCreated:*"]`,
    );
    return undefined;
  }
  let valid = true;
  const events: S3EventType[] = [];
  value.forEach((event: unknown, index) => {
    const at = join(path, index);
    if (typeof event !== "string" || !(S3_EVENT_TYPES as readonly string[]).includes(event)) {
      valid = false;
      const text = typeof event === "string" ? event : "";
      const suggestion = closest(text, S3_EVENT_TYPES);
      issues.add(
        at,
        event,
        `"${String(event)}" is not an S3 event type a notification can name.${didYouMean(text, S3_EVENT_TYPES)}`,
        `one of ${quoteList(S3_EVENT_TYPES)}`,
        suggestion === undefined ? `write e.g. "s3:ObjectCreated:*"` : `write "${suggestion}"`,
      );
      return;
    }
    const earlier = events.find((other) => typesOverlap(other, event as S3EventType));
    if (earlier !== undefined) {
      valid = false;
      issues.add(
        at,
        event,
        earlier === event
          ? `"${event}" is listed twice`
          : `"${event}" and "${earlier}" overlap: S3 would hold two configurations with the same filter for one event`,
        "each event type once; a family (`:*`) or its events, not both",
        earlier === event
          ? "remove the repeat"
          : `keep "${familyOf(event as S3EventType)}:*" alone, or list only the events you want`,
      );
      return;
    }
    events.push(event as S3EventType);
  });
  return valid ? events : undefined;
}

function readFilter(issues: Issues, path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = readString(
    issues,
    path,
    value,
    `${path.endsWith("prefix") ? `prefix: "posts/"` : `suffix: ".md"`}`,
  );
  if (text === undefined) return undefined;
  if (text.length > 0 && text.length <= FILTER.max) return text;
  issues.add(
    path,
    text,
    text.length === 0
      ? "an empty filter matches every key: leave it out instead"
      : `the filter is ${text.length} characters, above S3's limit of ${FILTER.max}`,
    `1 to ${FILTER.max} characters`,
    text.length === 0 ? "remove it" : "shorten it",
  );
  return undefined;
}

/** The family of an event type: `s3:ObjectCreated` for `s3:ObjectCreated:Put`. */
function familyOf(event: string): string {
  return event.slice(0, event.lastIndexOf(":"));
}

/** Whether one event can be of both types: the same type, or a family and one of its events. */
export function typesOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  if (familyOf(a) !== familyOf(b)) return false;
  return a.endsWith(":*") || b.endsWith(":*");
}

/** Whether one key can match both filters (S3's overlap rule; an absent filter matches every key). */
export function filtersOverlap(
  a: { readonly prefix?: string; readonly suffix?: string },
  b: { readonly prefix?: string; readonly suffix?: string },
): boolean {
  const p1 = a.prefix ?? "";
  const p2 = b.prefix ?? "";
  const s1 = a.suffix ?? "";
  const s2 = b.suffix ?? "";
  const prefixes = p1.startsWith(p2) || p2.startsWith(p1);
  const suffixes = s1.endsWith(s2) || s2.endsWith(s1);
  return prefixes && suffixes;
}

/** Reported at the later notification, naming the earlier one it overlaps. */
function checkOverlaps(
  issues: Issues,
  notifications: readonly { path: string; spec: BucketNotificationSpec }[],
): void {
  notifications.forEach((later, j) => {
    for (const earlier of notifications.slice(0, j)) {
      const shared = later.spec.events.find((a) =>
        earlier.spec.events.some((b) => typesOverlap(a as S3EventType, b as S3EventType)),
      );
      if (shared === undefined || !filtersOverlap(earlier.spec, later.spec)) continue;
      issues.add(
        later.path,
        describe(later.spec),
        `S3 refuses this configuration ("Configurations overlap"): this notification and ${earlier.path} ` +
          `both match ${shared} for some key (${describe(earlier.spec)})`,
        "notifications for overlapping event types whose prefixes or suffixes cannot match the same key",
        "give them prefixes or suffixes that cannot both match one key (e.g. suffix .jpg and .png), " +
          "or send both event types to one destination",
      );
      return;
    }
  });
}

function describe(n: BucketNotificationSpec): string {
  const filter = [
    n.prefix === undefined ? "" : `prefix "${n.prefix}"`,
    n.suffix === undefined ? "" : `suffix "${n.suffix}"`,
  ]
    .filter(Boolean)
    .join(", ");
  return `${n.target.kind} "${n.target.name}" on ${n.events.join(", ")}${filter ? ` with ${filter}` : " for every key"}`;
}

/** CloudFormation writes one configuration per event type, so that is what S3's quota counts. */
function checkCount(
  issues: Issues,
  path: string,
  notifications: readonly { spec: BucketNotificationSpec }[],
): void {
  const count = notifications.reduce((sum, n) => sum + n.spec.events.length, 0);
  if (count <= (CONFIGURATIONS.max ?? Number.POSITIVE_INFINITY)) return;
  issues.add(
    path,
    count,
    `the notifications make ${count} configurations (one per event type), above S3's ${CONFIGURATIONS.max} per bucket`,
    `at most ${CONFIGURATIONS.max} event types over all the bucket's notifications`,
    "use a family such as s3:ObjectCreated:* instead of its events, or fewer notifications",
  );
}
