/** The AWS JSON protocol (`application/x-amz-json-1.0` and `-1.1`): the request body and the answer. */
import type { ServerResponse } from "node:http";
import { AwsError } from "../../model/errors.ts";

/** The request's JSON object; an empty body is `{}`, anything else is a SerializationException. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AwsError("SerializationException", "The request body is not a JSON object.", 400);
  }
  return value as Record<string, unknown>;
}

/** Writes an AWS JSON answer (`text` is the JSON already) with its request id. */
export function sendAwsJson(
  res: ServerResponse,
  version: "1.0" | "1.1",
  status: number,
  requestId: string,
  text: string,
): void {
  res.writeHead(status, {
    "content-type": `application/x-amz-json-${version}`,
    "x-amzn-requestid": requestId,
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
