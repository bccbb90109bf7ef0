/**
 * Lifecycle rules, pure: which current objects, noncurrent versions and multipart uploads a
 * bucket's rules have made due by `now`. S3 adds a rule's days to the object's creation time (for
 * noncurrent versions, the time they became noncurrent; for uploads, their initiation) and rounds
 * up to the next midnight UTC
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html).
 * Rules come as CloudFormation writes them (`LifecycleConfiguration.Rules[].ExpirationInDays`,
 * `NoncurrentVersionExpiration.NoncurrentDays`, `AbortIncompleteMultipartUpload.DaysAfterInitiation`)
 * or as the S3 API does (`Expiration.Days`); only enabled rules apply, filtered by prefix. Rules
 * that filter on tags or sizes are not applied (docs/fidelity.md).
 */
const DAY_MS = 86_400_000;

export interface LifecycleRule {
  readonly prefix: string;
  readonly expirationDays?: number;
  readonly noncurrentDays?: number;
  /** NewerNoncurrentVersions: how many newer noncurrent versions keep an older one from expiring. */
  readonly keepNewer?: number;
  readonly abortDays?: number;
}

export function expiredKeys(
  configuration: Readonly<Record<string, unknown>>,
  objects: readonly { key: string; last_modified: number }[],
  now: number,
): string[] {
  const rules = lifecycleRules(configuration);
  return objects.filter((o) => currentDue(rules, o.key, o.last_modified, now)).map((o) => o.key);
}

/** Whether a current object created at `createdAt` has expired under one of `rules`. */
export function currentDue(
  rules: readonly LifecycleRule[],
  key: string,
  createdAt: number,
  now: number,
): boolean {
  return rules.some(
    (r) =>
      r.expirationDays !== undefined &&
      key.startsWith(r.prefix) &&
      expiresAt(createdAt, r.expirationDays) <= now,
  );
}

/**
 * Whether a version noncurrent since `since`, with `newer` noncurrent versions of its key newer
 * than it, has expired under one of `rules`: S3 keeps the newest NewerNoncurrentVersions ones
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html).
 */
export function noncurrentDue(
  rules: readonly LifecycleRule[],
  key: string,
  since: number,
  now: number,
  newer: number,
): boolean {
  return rules.some(
    (r) =>
      r.noncurrentDays !== undefined &&
      key.startsWith(r.prefix) &&
      expiresAt(since, r.noncurrentDays) <= now &&
      newer >= (r.keepNewer ?? 0),
  );
}

/** Whether an upload initiated at `initiated` is to be aborted under one of `rules`. */
export function uploadDue(
  rules: readonly LifecycleRule[],
  key: string,
  initiated: number,
  now: number,
): boolean {
  return rules.some(
    (r) => r.abortDays !== undefined && key.startsWith(r.prefix) && expiresAt(initiated, r.abortDays) <= now,
  );
}

/** When something that started at `start` is due under a rule of `days`. */
export function expiresAt(start: number, days: number): number {
  return Math.ceil((start + days * DAY_MS) / DAY_MS) * DAY_MS;
}

/** The enabled rules of a bucket's stored configuration. */
export function lifecycleRules(configuration: Readonly<Record<string, unknown>>): LifecycleRule[] {
  const lifecycle = (configuration.LifecycleConfiguration ?? configuration) as { Rules?: unknown };
  if (!Array.isArray(lifecycle.Rules)) return [];
  const rules: LifecycleRule[] = [];
  for (const raw of lifecycle.Rules as Record<string, unknown>[]) {
    if (raw.Status !== "Enabled") continue;
    const filter = raw.Filter as Record<string, unknown> | undefined;
    if (raw.TagFilters !== undefined || filter?.Tag !== undefined || filter?.And !== undefined) continue;
    // CloudFormation and the wire (lifecycle-xml.ts) keep size filters on the rule; the API in Filter.
    const sized = [raw, filter ?? {}].some(
      (at) => at.ObjectSizeGreaterThan !== undefined || at.ObjectSizeLessThan !== undefined,
    );
    if (sized) continue;
    const expiration = days(raw.ExpirationInDays ?? (raw.Expiration as { Days?: unknown } | undefined)?.Days);
    const noncurrentExpiration = raw.NoncurrentVersionExpiration as
      | { NoncurrentDays?: unknown; NewerNoncurrentVersions?: unknown }
      | undefined;
    const noncurrent = days(raw.NoncurrentVersionExpirationInDays ?? noncurrentExpiration?.NoncurrentDays);
    const keepNewer = days(noncurrentExpiration?.NewerNoncurrentVersions);
    const abort = days(
      (raw.AbortIncompleteMultipartUpload as { DaysAfterInitiation?: unknown } | undefined)
        ?.DaysAfterInitiation,
    );
    if (expiration === undefined && noncurrent === undefined && abort === undefined) continue;
    rules.push({
      prefix: String(raw.Prefix ?? filter?.Prefix ?? ""),
      ...(expiration === undefined ? {} : { expirationDays: expiration }),
      ...(noncurrent === undefined ? {} : { noncurrentDays: noncurrent }),
      ...(noncurrent === undefined || keepNewer === undefined ? {} : { keepNewer }),
      ...(abort === undefined ? {} : { abortDays: abort }),
    });
  }
  return rules;
}

function days(value: unknown): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}
