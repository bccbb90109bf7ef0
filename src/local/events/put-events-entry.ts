/**
 * Checks one PutEvents entry as EventBridge does. A bad entry fails alone (its result carries
 * ErrorCode and ErrorMessage) while the others are accepted; only request-level problems throw.
 */
import type { PutEventsEntry } from "./event-envelope.ts";

export type EntryCheck =
  | { readonly ok: true; readonly source: string; readonly detailType: string; readonly detail: unknown }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage: string };

export function checkEntry(entry: PutEventsEntry): EntryCheck {
  for (const [field, value] of [
    ["Source", entry.Source],
    ["DetailType", entry.DetailType],
    ["Detail", entry.Detail],
  ] as const) {
    if (value === undefined || value === "") {
      return invalid(
        "InvalidArgument",
        `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      );
    }
  }
  const source = entry.Source ?? "";
  if (source.startsWith("aws."))
    return invalid("NotAuthorizedForSourceException", "Not authorized for the source.");
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail ?? "");
  } catch {
    return invalid("MalformedDetail", "Detail is malformed.");
  }
  if (detail === null || typeof detail !== "object" || Array.isArray(detail)) {
    return invalid("MalformedDetail", "Detail is malformed.");
  }
  return { ok: true, source, detailType: entry.DetailType ?? "", detail };
}

function invalid(errorCode: string, errorMessage: string): EntryCheck {
  return { ok: false, errorCode, errorMessage };
}
