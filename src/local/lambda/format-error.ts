/**
 * Error shapes as Lambda's Node.js runtime client produces them: the invoke response's
 * `{errorType, errorMessage, trace}` and the `\t{...}` JSON it logs after "Invoke Error".
 */
import type { ErrorPayload } from "./protocol.ts";

export function toErrorPayload(error: unknown): ErrorPayload {
  try {
    if (looksLikeError(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: error.stack.split("\n") };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: "handled",
      errorMessage:
        "callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack",
      trace: [],
    };
  }
}

/** The error as the runtime logs it: a tab, then JSON with name, message, code, own fields, stack lines. */
export function toLogFormat(error: unknown): string {
  try {
    return `\t${JSON.stringify(error, (_key, value: unknown) => withEnumerableProperties(value))}`;
  } catch {
    return `\t${JSON.stringify(toErrorPayload(error))}`;
  }
}

function withEnumerableProperties(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const copy: Record<string, unknown> = {
    errorType: value.name,
    errorMessage: value.message,
    code: (value as { code?: unknown }).code,
    ...value,
  };
  if (typeof value.stack === "string") copy.stack = value.stack.split("\n");
  return copy;
}

function looksLikeError(value: unknown): value is Error & { stack: string } {
  if (value instanceof Error && typeof value.stack === "string") return true;
  const candidate = value as { name?: unknown; message?: unknown; stack?: unknown } | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.name === "string" &&
    typeof candidate.message === "string" &&
    typeof candidate.stack === "string"
  );
}
