/**
 * Query string parameters as API Gateway passes them on: decoded, a parameter without `=` having
 * the empty value. Format 2.0 joins repeated parameters with commas; format 1.0 keeps the last in
 * `queryStringParameters` and all of them in `multiValueQueryStringParameters`.
 */
import { own, put } from "./client-names.ts";

/** API Gateway decodes URL-encoded parameters; a malformed escape is passed on as written. */
export function decode(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function pairs(rawQueryString: string): [string, string][] {
  const list: [string, string][] = [];
  for (const part of rawQueryString.split("&")) {
    if (part === "") continue;
    const equals = part.indexOf("=");
    const name = decode(equals < 0 ? part : part.slice(0, equals));
    list.push([name, equals < 0 ? "" : decode(part.slice(equals + 1))]);
  }
  return list;
}

/** Absent (undefined) when the request has no query string. */
export function queryV2(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === "") return undefined;
  const query: Record<string, string> = {};
  for (const [name, value] of pairs(rawQueryString)) {
    const seen = own(query, name);
    put(query, name, seen === undefined ? value : `${seen},${value}`);
  }
  return query;
}

export interface QueryV1 {
  readonly queryStringParameters: Record<string, string> | null;
  readonly multiValueQueryStringParameters: Record<string, string[]> | null;
}

export function queryV1(rawQueryString: string): QueryV1 {
  const list = pairs(rawQueryString);
  if (list.length === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of list) {
    put(single, name, value);
    const values = own(multi, name);
    if (values === undefined) put(multi, name, [value]);
    else values.push(value);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}
