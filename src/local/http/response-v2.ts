/**
 * Maps a function's result to the HTTP response in payload format 2.0. A result without a
 * `statusCode` is the body of a 200 JSON response (a string as it is, anything else as its JSON).
 * A structured result sets status, headers, cookies (one Set-Cookie each) and a body, base64 when
 * `isBase64Encoded`; `multiValueHeaders` are not part of 2.0 and are ignored.
 */
import type { GatewayResponse } from "./gateway-responses.ts";
import { bodyOf, headerPairs, isObject, validStatus } from "./response-parts.ts";

/** The response, or undefined when the result is malformed (the gateway then answers 500). */
export function responseV2(payload: string): GatewayResponse | undefined {
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isObject(result) || !("statusCode" in result)) {
    const body = typeof result === "string" ? result : payload;
    return { status: 200, headers: [["content-type", "application/json"]], body: Buffer.from(body) };
  }
  const status = validStatus(result.statusCode);
  const headers = headerPairs(result.headers);
  const body = bodyOf(result.body, result.isBase64Encoded);
  if (status === undefined || headers === undefined || body === undefined) return undefined;
  const cookies = result.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== "string")) return undefined;
    for (const cookie of cookies as string[]) headers.push(["set-cookie", cookie]);
  }
  if (!headers.some(([name]) => name.toLowerCase() === "content-type") && body.length > 0) {
    headers.push(["content-type", "text/plain; charset=utf-8"]);
  }
  return { status, headers, body };
}
