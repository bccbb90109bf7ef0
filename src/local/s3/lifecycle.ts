/**
 * Expiration by lifecycle rule. S3 adds the rule's days to the object's creation time and rounds
 * up to the next midnight UTC
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html).
 * Rules come as CloudFormation writes them (`LifecycleConfiguration.Rules[].ExpirationInDays`)
 * or as the S3 API does (`Rules[].Expiration.Days`); only enabled rules with a day count and a
 * prefix filter (or none) apply.
 */
const DAY_MS = 86_400_000;

interface Rule {
  readonly days: number;
  readonly prefix: string;
}

export function expiredKeys(
  configuration: Readonly<Record<string, unknown>>,
  objects: readonly { key: string; last_modified: number }[],
  now: number,
): string[] {
  const rules = expirationRules(configuration);
  if (rules.length === 0) return [];
  return objects
    .filter((o) => rules.some((r) => o.key.startsWith(r.prefix) && expiresAt(o.last_modified, r.days) <= now))
    .map((o) => o.key);
}

/** When an object created at `createdAt` expires under a rule of `days`. */
export function expiresAt(createdAt: number, days: number): number {
  return Math.ceil((createdAt + days * DAY_MS) / DAY_MS) * DAY_MS;
}

function expirationRules(configuration: Readonly<Record<string, unknown>>): Rule[] {
  const lifecycle = (configuration.LifecycleConfiguration ?? configuration) as { Rules?: unknown };
  if (!Array.isArray(lifecycle.Rules)) return [];
  const rules: Rule[] = [];
  for (const raw of lifecycle.Rules as Record<string, unknown>[]) {
    if (raw.Status !== "Enabled") continue;
    const days = Number(raw.ExpirationInDays ?? (raw.Expiration as { Days?: unknown } | undefined)?.Days);
    if (!Number.isFinite(days) || days <= 0) continue;
    const filter = raw.Filter as { Prefix?: unknown } | undefined;
    const prefix = raw.Prefix ?? filter?.Prefix ?? "";
    rules.push({ days, prefix: String(prefix) });
  }
  return rules;
}
