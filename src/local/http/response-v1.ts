/**
 * Maps a function's result to the HTTP response in payload format 1.0: it must be an object with
 * a `statusCode`; `headers` and `multiValueHeaders` merge (a name in both takes the multi-value
 * list); the body is text, or base64 when `isBase64Encoded`.
 */
import type { GatewayResponse } from "./gateway-responses.ts";
import { bodyOf, headerPairs, isObject, validStatus } from "./response-parts.ts";

export function responseV1(payload: string): GatewayResponse | undefined {
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isObject(result)) return undefined;
  const status = validStatus(result.statusCode);
  const single = headerPairs(result.headers);
  const multi = multiValuePairs(result.multiValueHeaders);
  const body = bodyOf(result.body, result.isBase64Encoded);
  if (status === undefined || single === undefined || multi === undefined || body === undefined)
    return undefined;
  const multiNames = new Set(multi.map(([name]) => name.toLowerCase()));
  const headers = [...single.filter(([name]) => !multiNames.has(name.toLowerCase())), ...multi];
  if (!headers.some(([name]) => name.toLowerCase() === "content-type") && body.length > 0) {
    headers.push(["content-type", "application/json"]);
  }
  return { status, headers, body };
}

function multiValuePairs(value: unknown): [string, string][] | undefined {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) return undefined;
  const pairs: [string, string][] = [];
  for (const [name, list] of Object.entries(value)) {
    if (!Array.isArray(list)) return undefined;
    for (const item of list) {
      if (item === null || typeof item === "object") return undefined;
      pairs.push([name, String(item)]);
    }
  }
  return pairs;
}
