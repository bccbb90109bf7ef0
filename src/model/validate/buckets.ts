/**
 * Reads `buckets`: each bucket's name, notifications (bucket-events.ts), EventBridge switch,
 * versioning, lifecycle, website and CORS (bucket-settings.ts); then, with the rest of the
 * definition read, the physical names against S3's naming rules and each notification's target.
 *
 * Bucket names in the definition are letters, digits and hyphens. S3 takes lowercase only, so the
 * physical name lowercases them (naming.ts physicalBucketName); `_` and `.` are refused rather
 * than rewritten: `_` has no place in a bucket name and `.` breaks virtual-hosted-style HTTPS, and
 * a rewrite could map two definition names to one bucket. Two names that differ only in case
 * would share a bucket and a discovery variable, and are refused as such (permissions.ts).
 */
import { LIMITS } from "../limits.ts";
import { physicalBucketName } from "../naming.ts";
import { readBucketEvents } from "./bucket-events.ts";
import { bucketNameProblem } from "./bucket-name.ts";
import { readBucketCors, readLifecycle, readWebsite } from "./bucket-settings.ts";
import type { BucketDraft, FunctionDraft } from "./draft.ts";
import { closest, didYouMean } from "./suggest.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  join,
  quoteList,
  readBoolean,
  readObject,
  readOptional,
} from "./values.ts";

const BUCKET_KEYS = ["events", "eventBridge", "versioning", "lifecycle", "website", "cors"] as const;
const NAME = /^[A-Za-z0-9-]+$/;

export function readBuckets(issues: Issues, value: unknown): Map<string, BucketDraft> {
  const buckets = new Map<string, BucketDraft>();
  if (value === undefined) return buckets;
  const fields = readObject(issues, "buckets", value, `buckets: { content: { versioning: true } }`);
  if (fields === undefined) return buckets;
  for (const [name, raw] of Object.entries(fields)) {
    const path = join("buckets", name);
    const bucket = readObject(
      issues,
      path,
      raw,
      `{ events: [{ function: "render", on: ["s3:ObjectCreated:*"] }] }`,
    );
    if (bucket !== undefined) buckets.set(name, readBucket(issues, name, path, bucket));
  }
  return buckets;
}

function readBucket(issues: Issues, name: string, path: string, bucket: Fields): BucketDraft {
  const before = issues.list.length;
  checkName(issues, path, name);
  checkKeys(issues, path, bucket, BUCKET_KEYS);
  const at = (key: string): string => join(path, key);
  const events = readBucketEvents(issues, at("events"), bucket.events);
  const bool = (key: "eventBridge" | "versioning") =>
    readOptional(bucket[key], false, (v) => readBoolean(issues, at(key), v));
  const eventBridge = bool("eventBridge");
  const versioning = bool("versioning");
  const lifecycle = readLifecycle(issues, at("lifecycle"), bucket.lifecycle);
  const website =
    bucket.website === undefined ? undefined : readWebsite(issues, at("website"), bucket.website);
  const cors = readBucketCors(issues, at("cors"), bucket.cors);
  const valid =
    issues.list.length === before &&
    events !== undefined &&
    eventBridge !== undefined &&
    versioning !== undefined &&
    lifecycle !== undefined &&
    cors !== undefined;
  return {
    name,
    path,
    notifications: events ?? [],
    spec: valid
      ? {
          name,
          notifications: events.map((n) => n.spec),
          eventBridge,
          versioning,
          lifecycle,
          ...(website === undefined ? {} : { website }),
          cors,
        }
      : undefined,
  };
}

function checkName(issues: Issues, path: string, name: string): void {
  if (NAME.test(name)) return;
  issues.add(
    path,
    name,
    `the bucket name "${name}" can hold only letters, digits and hyphens (it becomes part of a global S3 bucket name, lowercased)`,
    "letters, digits and hyphens (a-z A-Z 0-9 -)",
    `rename it, e.g. "${name.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "files"}"`,
  );
}

/** What the physical names are made of; undefined parts skip the check (their issue is already recorded). */
export interface BucketNaming {
  readonly app: string | undefined;
  readonly stage: string | undefined;
  readonly region: string | undefined;
  readonly accountId: string | undefined;
}

/** Each bucket's physical name (`<app>[-<stage>]-<name>-<account>-<region>`) as S3's naming rules check it. */
export function checkBucketNames(
  issues: Issues,
  naming: BucketNaming,
  buckets: ReadonlyMap<string, BucketDraft>,
): void {
  const { app, region, accountId, stage } = naming;
  if (app === undefined || region === undefined || accountId === undefined) return;
  for (const bucket of buckets.values()) {
    if (!NAME.test(bucket.name)) continue;
    const physical = physicalBucketName(
      { name: app, region, accountId, ...(stage === undefined ? {} : { stage }) },
      bucket.name,
    );
    const problem = bucketNameProblem(physical);
    if (problem === undefined) continue;
    issues.add(
      bucket.path,
      bucket.name,
      `the bucket's physical name "${physical}" ${problem} (S3's bucket naming rules)`,
      `a name S3 accepts: ${LIMITS.s3.bucketName.charset}, none of S3's reserved prefixes or suffixes`,
      "rename the app or the bucket so the name S3 sees follows its rules",
    );
  }
}

/**
 * Each notification's destination exists: a function of the app, or a standard queue (S3 cannot
 * send to a FIFO queue: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
 */
export function checkBucketTargets(
  issues: Issues,
  buckets: ReadonlyMap<string, BucketDraft>,
  queueKinds: ReadonlyMap<string, boolean | undefined>,
  functions: ReadonlyMap<string, FunctionDraft>,
): void {
  for (const bucket of buckets.values()) {
    for (const { path, spec } of bucket.notifications) {
      const { kind, name } = spec.target;
      const at = join(path, kind);
      const known = kind === "function" ? [...functions.keys()] : [...queueKinds.keys()];
      if (!known.includes(name)) {
        const suggestion = closest(name, known);
        issues.add(
          at,
          name,
          `${kind} "${name}" is not defined in this app.${didYouMean(name, known)}`,
          `one of ${quoteList(known)}`,
          suggestion === undefined
            ? `define ${kind} "${name}", or name another`
            : `write ${kind}: "${suggestion}"`,
        );
        continue;
      }
      if (kind === "queue" && queueKinds.get(name) === true) {
        issues.add(
          at,
          name,
          `queue "${name}" is a FIFO queue, and S3 event notifications can only go to standard queues`,
          "a standard queue (fifo: false)",
          "send the events to a standard queue, and forward to the FIFO queue from a function if order matters",
        );
      }
    }
  }
}
