/**
 * Invoke's own checks on its input, made before any function runs, with the errors Lambda's API
 * answers them with.
 */
import { invalidClientContext, invalidRequestContent, requestTooLarge } from "./errors.ts";
import { CLIENT_CONTEXT_MAX_BYTES, REQUEST_PAYLOAD_MAX_BYTES } from "./limits.ts";

/** The event as JSON text: size first (Lambda rejects before parsing), then syntax. An empty payload is `{}`. */
export function checkedPayload(payload: string): string {
  if (payload === "") return "{}";
  checkedSize(payload);
  try {
    JSON.parse(payload);
  } catch (error) {
    throw invalidRequestContent(
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
    );
  }
  return payload;
}

/** The client context JSON, decoded from base64; Lambda accepts only a JSON object. */
export function decodeClientContext(base64: string): string {
  const bytes = Buffer.byteLength(base64);
  if (bytes > CLIENT_CONTEXT_MAX_BYTES) throw invalidClientContext(`got ${bytes} bytes`);
  const text = Buffer.from(base64, "base64").toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidClientContext("it does not decode to JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidClientContext("it decodes to JSON that is not an object");
  }
  return text;
}

/** Lambda's request payload limit; throws RequestTooLargeException over it. */
export function checkedSize(payload: string): string {
  // A UTF-16 unit is at most 3 UTF-8 bytes: most payloads need no byte count.
  if (payload.length * 3 > REQUEST_PAYLOAD_MAX_BYTES) {
    const bytes = Buffer.byteLength(payload);
    if (bytes > REQUEST_PAYLOAD_MAX_BYTES) throw requestTooLarge(bytes);
  }
  return payload;
}
