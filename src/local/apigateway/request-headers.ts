/**
 * Request headers as API Gateway passes them on. Format 2.0 lower-cases names, joins repeats with
 * commas and moves cookies to their own field; format 1.0 keeps the client's spelling, with the
 * last value in `headers` and every value in `multiValueHeaders`. Both add the headers API
 * Gateway sets (trace id, X-Forwarded-*), and neither passes hop-by-hop headers on.
 */
import { own, put } from "./client-names.ts";

export interface GatewayHeaderValues {
  readonly sourceIp: string;
  readonly port: number;
  readonly traceId: string;
  /** Length of the body sent on, when there is one. */
  readonly contentLength: number | undefined;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
]);

// Lengths of the names clientHeaders drops: other names need no lower-casing to be kept.
const DROPPED_LENGTHS = new Set([...HOP_BY_HOP, "content-length"].map((name) => name.length));

/** Name/value pairs of the client's headers (Node's rawHeaders), less hop-by-hop ones. */
export function clientHeaders(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (DROPPED_LENGTHS.has(name.length)) {
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || lower === "content-length") continue;
    }
    pairs.push([name, rawHeaders[i + 1] as string]);
  }
  return pairs;
}

// One pass, no intermediate arrays: this runs for every request.
function withGatewayHeaders(pairs: [string, string][], values: GatewayHeaderValues): [string, string][] {
  const rest: [string, string][] = [];
  let forwarded = "";
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as [string, string];
    const lower = pair[0].toLowerCase();
    if (lower === "x-forwarded-for") forwarded += `${pair[1]}, `;
    else if (lower !== "x-forwarded-port" && lower !== "x-forwarded-proto" && lower !== "x-amzn-trace-id")
      rest.push(pair);
  }
  if (values.contentLength !== undefined) rest.push(["Content-Length", String(values.contentLength)]);
  rest.push(
    ["X-Amzn-Trace-Id", values.traceId],
    ["X-Forwarded-For", forwarded + values.sourceIp],
    ["X-Forwarded-Port", String(values.port)],
    ["X-Forwarded-Proto", "http"],
  );
  return rest;
}

export interface HeadersV2 {
  readonly headers: Record<string, string>;
  readonly cookies: string[] | undefined;
}

// The same headers, in the same order, as headersV1's withGatewayHeaders gives, in one pass that
// lower-cases each name once: this runs for every request.
export function headersV2(pairs: [string, string][], values: GatewayHeaderValues): HeadersV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  let forwarded = "";
  for (let i = 0; i < pairs.length; i++) {
    const [name, value] = pairs[i] as [string, string];
    const lower = name.toLowerCase();
    if (lower === "x-forwarded-for") forwarded += `${value}, `;
    else if (lower === "cookie") {
      cookies ??= [];
      for (const cookie of value.split(";")) {
        const trimmed = cookie.trim();
        if (trimmed !== "") cookies.push(trimmed);
      }
    } else if (lower !== "x-forwarded-port" && lower !== "x-forwarded-proto" && lower !== "x-amzn-trace-id")
      addV2(headers, lower, value);
  }
  if (values.contentLength !== undefined) addV2(headers, "content-length", String(values.contentLength));
  addV2(headers, "x-amzn-trace-id", values.traceId);
  addV2(headers, "x-forwarded-for", forwarded + values.sourceIp);
  addV2(headers, "x-forwarded-port", String(values.port));
  addV2(headers, "x-forwarded-proto", "http");
  return { headers, cookies };
}

/** Format 2.0 joins a repeated header's values with commas. */
function addV2(headers: Record<string, string>, lower: string, value: string): void {
  const seen = own(headers, lower);
  put(headers, lower, seen === undefined ? value : `${seen},${value}`);
}

export interface HeadersV1 {
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
}

export function headersV1(pairs: [string, string][], values: GatewayHeaderValues): HeadersV1 {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of withGatewayHeaders(pairs, values)) {
    put(headers, name, value);
    const list = own(multiValueHeaders, name);
    if (list === undefined) put(multiValueHeaders, name, [value]);
    else list.push(value);
  }
  return { headers, multiValueHeaders };
}

/** The first value of a header, by case-insensitive name. */
export function headerValue(pairs: readonly [string, string][], name: string): string | undefined {
  for (const [key, value] of pairs)
    if (key.length === name.length && key.toLowerCase() === name) return value;
  return undefined;
}
