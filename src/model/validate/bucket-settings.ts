/**
 * A bucket's lifecycle rules, website and CORS rules, read with the rules S3 applies to
 * PutBucketLifecycleConfiguration, PutBucketWebsite and PutBucketCors.
 */
import type { BucketCorsRuleSpec, BucketLifecycleRuleSpec } from "../app-spec.ts";
import { formatSeconds, parseDuration } from "../duration.ts";
import { LIMITS } from "../limits.ts";
import { checkKeys, type Issues, join, quoteList, readDuration, readObject, readString } from "./values.ts";

const S3 = LIMITS.s3;
const DAY = 86_400;
const LIFECYCLE_KEYS = ["prefix", "expiration", "noncurrentExpiration", "abortIncompleteUploads"] as const;
const ACTIONS = ["expiration", "noncurrentExpiration", "abortIncompleteUploads"] as const;
const WEBSITE_KEYS = ["index", "error"] as const;
const CORS_KEYS = ["allowedOrigins", "allowedMethods", "allowedHeaders", "exposeHeaders", "maxAge"] as const;
const METHODS: readonly string[] = S3.corsMethods.values;
/** S3's CORS rules: "at most one * wildcard" in each origin and each allowed header. */
const CORS_PAGE = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html";

export function readLifecycle(
  issues: Issues,
  path: string,
  value: unknown,
): BucketLifecycleRuleSpec[] | undefined {
  return readRules(issues, path, value, {
    field: "lifecycle",
    title: "lifecycle",
    example: `lifecycle: [{ prefix: "tmp/", expiration: "1 day" }]`,
    max: S3.lifecycleRules.max ?? 0,
    merge: "merge rules that share a prefix",
    read: (rulePath, raw, index) => readRule(issues, rulePath, raw, index),
  });
}

/**
 * A bucket setting that is a list of rules, as S3 takes them: a list, at most `max` long, each
 * rule read by `read`; undefined when any of that fails (every failure in `issues`).
 */
function readRules<Rule>(
  issues: Issues,
  path: string,
  value: unknown,
  rules: {
    readonly field: string;
    /** The rules' name in a sentence: "lifecycle", "CORS". */
    readonly title: string;
    readonly example: string;
    readonly max: number;
    /** How to stay under `max`. */
    readonly merge: string;
    readonly read: (path: string, raw: unknown, index: number) => Rule | undefined;
  },
): Rule[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.add(path, value, `${rules.field} must be a list of rules`, "an array", `write ${rules.example}`);
    return undefined;
  }
  if (value.length > rules.max) {
    issues.add(
      path,
      value.length,
      `the bucket has ${value.length} ${rules.title} rules, above S3's limit of ${rules.max}`,
      `at most ${rules.max} rules`,
      rules.merge,
    );
    return undefined;
  }
  const read = value.map((raw: unknown, index) => rules.read(join(path, index), raw, index));
  return read.every((r) => r !== undefined) ? (read as Rule[]) : undefined;
}

function readRule(
  issues: Issues,
  path: string,
  raw: unknown,
  index: number,
): BucketLifecycleRuleSpec | undefined {
  const fields = readObject(issues, path, raw, `{ prefix: "tmp/", expiration: "1 day" }`);
  if (fields === undefined) return undefined;
  const before = issues.list.length;
  checkKeys(issues, path, fields, LIFECYCLE_KEYS);
  const prefix =
    fields.prefix === undefined
      ? ""
      : readString(issues, join(path, "prefix"), fields.prefix, `prefix: "tmp/"`);
  const days = (key: (typeof ACTIONS)[number]) =>
    fields[key] === undefined ? undefined : readDays(issues, join(path, key), fields[key]);
  const expirationDays = days("expiration");
  const noncurrentExpirationDays = days("noncurrentExpiration");
  const abortIncompleteUploadDays = days("abortIncompleteUploads");
  // A misspelt action is reported once, as the unknown option it is.
  const misspelt = Object.keys(fields).some((key) => !(LIFECYCLE_KEYS as readonly string[]).includes(key));
  if (!misspelt && ACTIONS.every((key) => fields[key] === undefined)) {
    issues.add(
      path,
      raw,
      "a lifecycle rule needs an action: S3 refuses a rule that does nothing",
      `at least one of ${quoteList(ACTIONS)}`,
      `add e.g. expiration: "30 days"`,
    );
  }
  if (issues.list.length !== before || prefix === undefined) return undefined;
  return {
    id: `rule-${index}`,
    prefix,
    ...(expirationDays === undefined ? {} : { expirationDays }),
    ...(noncurrentExpirationDays === undefined ? {} : { noncurrentExpirationDays }),
    ...(abortIncompleteUploadDays === undefined ? {} : { abortIncompleteUploadDays }),
  };
}

/**
 * A lifecycle age: S3 counts whole days (a non-zero positive integer), so a duration that is not a
 * whole number of days is refused rather than rounded, and the fix names the days it would round to.
 */
function readDays(issues: Issues, path: string, value: unknown): number | undefined {
  const seconds = parseDuration(value);
  const allowed = `a whole number of days, at least "1 day" (${S3.lifecycleDays.unit})`;
  if (typeof value !== "string" || seconds === undefined) {
    issues.add(path, value, "a lifecycle age must be a duration in days", allowed, `write it like "30 days"`);
    return undefined;
  }
  if (seconds % DAY === 0 && seconds >= DAY * (S3.lifecycleDays.min ?? 1)) return seconds / DAY;
  const days = Math.max(1, Math.ceil(seconds / DAY));
  issues.add(
    path,
    value,
    seconds < DAY
      ? `"${value}" is less than a day: S3 counts lifecycle ages in whole days, 1 at least`
      : `"${value}" is not a whole number of days: S3 counts lifecycle ages in whole days`,
    allowed,
    `write "${formatSeconds(days * DAY)}"`,
  );
  return undefined;
}

export function readWebsite(
  issues: Issues,
  path: string,
  value: unknown,
): { index: string; error?: string } | undefined {
  const fields = readObject(issues, path, value, `website: { index: "index.html", error: "404.html" }`);
  if (fields === undefined) return undefined;
  const before = issues.list.length;
  checkKeys(issues, path, fields, WEBSITE_KEYS);
  const index = readString(issues, join(path, "index"), fields.index, `index: "index.html"`);
  // IndexDocument's Suffix "must not be empty and must not include a slash character":
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_IndexDocument.html
  if (index !== undefined && (index === "" || index.includes("/"))) {
    issues.add(
      join(path, "index"),
      index,
      index === ""
        ? "the index document must not be empty (S3 appends it to every request for a folder)"
        : "the index document must not contain a slash: S3 appends it to the folder a request names",
      "a file name such as index.html, without /",
      index === ""
        ? `write index: "index.html"`
        : `write index: "${index.slice(index.lastIndexOf("/") + 1) || "index.html"}"`,
    );
  }
  const error =
    fields.error === undefined
      ? undefined
      : readString(issues, join(path, "error"), fields.error, `error: "404.html"`);
  if (error === "") {
    issues.add(
      join(path, "error"),
      error,
      "the error document must name an object",
      "an object key such as 404.html",
      "remove it, or name the page",
    );
  }
  if (issues.list.length !== before || index === undefined) return undefined;
  return { index, ...(error === undefined ? {} : { error }) };
}

export function readBucketCors(
  issues: Issues,
  path: string,
  value: unknown,
): BucketCorsRuleSpec[] | undefined {
  return readRules(issues, path, value, {
    field: "cors",
    title: "CORS",
    example: `cors: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }]`,
    max: S3.corsRules.max ?? 0,
    merge: "merge rules that allow the same methods",
    read: (rulePath, raw) => readCorsRule(issues, rulePath, raw),
  });
}

function readCorsRule(issues: Issues, path: string, raw: unknown): BucketCorsRuleSpec | undefined {
  const fields = readObject(issues, path, raw, `{ allowedOrigins: ["*"], allowedMethods: ["GET"] }`);
  if (fields === undefined) return undefined;
  const before = issues.list.length;
  checkKeys(issues, path, fields, CORS_KEYS);
  const at = (key: string) => join(path, key);
  const allowedOrigins = readList(
    issues,
    at("allowedOrigins"),
    fields.allowedOrigins,
    true,
    oneWildcard("origin"),
  );
  const allowedMethods = readList(issues, at("allowedMethods"), fields.allowedMethods, true, method);
  const allowedHeaders = readList(
    issues,
    at("allowedHeaders"),
    fields.allowedHeaders,
    false,
    oneWildcard("header"),
  );
  const exposeHeaders = readList(issues, at("exposeHeaders"), fields.exposeHeaders, false, () => undefined);
  const maxAgeSeconds =
    fields.maxAge === undefined
      ? undefined
      : readDuration(issues, at("maxAge"), fields.maxAge, { min: 0, unit: "seconds" });
  if (
    issues.list.length !== before ||
    allowedOrigins === undefined ||
    allowedMethods === undefined ||
    allowedHeaders === undefined ||
    exposeHeaders === undefined
  )
    return undefined;
  return {
    allowedOrigins,
    allowedMethods,
    allowedHeaders,
    exposeHeaders,
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
  };
}

type Check = (item: string) => { problem: string; allowed: string; fix: string } | undefined;

const method: Check = (item) =>
  METHODS.includes(item)
    ? undefined
    : {
        problem: `"${item}" is not a method S3's CORS rules allow`,
        allowed: `one of ${quoteList(METHODS)} (S3 answers OPTIONS preflights itself)`,
        fix: METHODS.includes(item.toUpperCase()) ? `write "${item.toUpperCase()}"` : "remove it",
      };

function oneWildcard(what: "origin" | "header"): Check {
  return (item) =>
    item.split("*").length <= 2 && item !== ""
      ? undefined
      : {
          problem:
            item === ""
              ? `an empty ${what} matches nothing`
              : `the ${what} "${item}" has more than one * wildcard; S3 allows one (${CORS_PAGE})`,
          allowed: `an ${what} with at most one *, e.g. ${what === "origin" ? '"https://*.example.com"' : '"x-amz-*"'}`,
          fix: item === "" ? "remove it" : "split it into one entry per pattern",
        };
}

function readList(
  issues: Issues,
  path: string,
  value: unknown,
  required: boolean,
  check: Check,
): string[] | undefined {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string") || (required && value.length === 0)) {
    issues.add(
      path,
      value,
      required ? "a CORS rule needs this list, with at least one entry" : "must be a list of strings",
      required ? "a non-empty array of strings" : "an array of strings",
      `write e.g. ${path.endsWith("Methods") ? '["GET"]' : '["*"]'}`,
    );
    return undefined;
  }
  let valid = true;
  for (const [index, item] of (value as string[]).entries()) {
    const found = check(item);
    if (found === undefined) continue;
    valid = false;
    issues.add(join(path, index), item, found.problem, found.allowed, found.fix);
  }
  return valid ? [...(value as string[])] : undefined;
}
