/**
 * What of an answer the suite compares. Volatile fields are set aside: request ids and HTTP
 * metadata, times (CreationDateTime, stream labels), the account and region inside ARNs, TableId;
 * ConsumedCapacity only when a call did not ask for it. Items, and the elements of sets, whose
 * order DynamoDB leaves open are sorted.
 */
import type { OracleCall, Outcome } from "./calls.ts";

const DROPPED = new Set([
  "$metadata",
  "CreationDateTime",
  "TableId",
  "LatestStreamLabel",
  "LastIncreaseDateTime",
  "LastDecreaseDateTime",
  "LastUpdateToPayPerRequestDateTime",
]);

/** Set types of AttributeValue (string, number, binary sets). */
const SETS = new Set(["SS", "NS", "BS"]);

/** `arn:<partition>:dynamodb:<region>:<account>:` → `arn:*:dynamodb:*:*:`; a stream's label goes too. */
function normalizeArn(text: string): string {
  return text
    .replace(/^arn:[^:]+:dynamodb:[^:]*:[^:]*:/, "arn:*:dynamodb:*:*:")
    .replace(/\/stream\/[^/]+$/, "/stream/*");
}

/** A value with volatile fields set aside and sets sorted (`asked`: keep ConsumedCapacity). */
export function clean(value: unknown, asked = false): unknown {
  if (Array.isArray(value)) return value.map((v) => clean(v, asked));
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString("base64") };
  if (value instanceof Date) return "<date>";
  if (value === null || typeof value !== "object") {
    return typeof value === "string" && value.startsWith("arn:") ? normalizeArn(value) : value;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (DROPPED.has(key) || field === undefined) continue;
    if (key === "ConsumedCapacity" && !asked) continue;
    out[key] = clean(field, asked);
    // A set's elements come back in an order DynamoDB does not specify.
    if (SETS.has(key) && Array.isArray(out[key])) out[key] = sortItems(out[key] as unknown[]);
  }
  return out;
}

const canonical = (value: unknown) => JSON.stringify(value);
const sortItems = (items: readonly unknown[]) =>
  [...items].sort((a, b) => canonical(a).localeCompare(canonical(b)));

/** Pages of an unordered read folded into one answer: every item, sorted, and the totals. */
function foldPages(pages: readonly Record<string, unknown>[]): unknown {
  const items = pages.flatMap((page) => (page.Items as unknown[] | undefined) ?? []);
  const sum = (key: string) =>
    pages.reduce((total, page) => total + ((page[key] as number | undefined) ?? 0), 0);
  return { Items: sortItems(items), Count: sum("Count"), ScannedCount: sum("ScannedCount") };
}

export function normalize(call: OracleCall, outcome: Outcome): unknown {
  const asked =
    call.input.ReturnConsumedCapacity !== undefined && call.input.ReturnConsumedCapacity !== "NONE";
  if ("error" in outcome) return { error: clean(outcome.error, asked) };
  let ok = clean(outcome.ok, asked);
  if (call.unordered && Array.isArray(ok)) ok = foldPages(ok as Record<string, unknown>[]);
  else if (call.unordered && ok && typeof ok === "object") ok = foldPages([ok as Record<string, unknown>]);
  if (call.action === "BatchGetItem" && ok && typeof ok === "object") {
    const responses = (ok as { Responses?: Record<string, unknown[]> }).Responses ?? {};
    for (const table of Object.keys(responses)) responses[table] = sortItems(responses[table] ?? []);
  }
  return { ok };
}
