/** Reads the HTTP API's CORS configuration with the rules API Gateway applies to it. */
import { API_GATEWAY_LIMITS } from "../api-gateway-limits.ts";
import type { CorsSpec } from "../http-api.ts";
import {
  checkKeys,
  type Issues,
  join,
  readBoolean,
  readDuration,
  readObject,
  readOptional,
} from "./values.ts";

const CORS_KEYS = [
  "allowOrigins",
  "allowMethods",
  "allowHeaders",
  "exposeHeaders",
  "maxAge",
  "allowCredentials",
] as const;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"];
const ALL: readonly string[] = ["*"];

export function readCors(issues: Issues, path: string, value: unknown): CorsSpec | undefined {
  if (value === true) {
    return {
      allowOrigins: ALL,
      allowMethods: ALL,
      allowHeaders: ALL,
      exposeHeaders: [],
      allowCredentials: false,
    };
  }
  const fields = readObject(issues, path, value, `cors: { allowOrigins: ["https://example.com"] }`);
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, CORS_KEYS);
  const at = (key: string): string => join(path, key);
  const allowOrigins = readOptional(fields.allowOrigins, ALL, (v) =>
    readList(issues, at("allowOrigins"), v, origin),
  );
  const allowMethods = readOptional(fields.allowMethods, ALL, (v) =>
    readList(issues, at("allowMethods"), v, method),
  );
  const allowHeaders = readOptional(fields.allowHeaders, ALL, (v) =>
    readList(issues, at("allowHeaders"), v, token),
  );
  const exposeHeaders = readOptional(fields.exposeHeaders, [] as readonly string[], (v) =>
    readList(issues, at("exposeHeaders"), v, token),
  );
  const maxAgeSeconds =
    fields.maxAge === undefined
      ? undefined
      : readDuration(issues, at("maxAge"), fields.maxAge, API_GATEWAY_LIMITS.http.corsMaxAge);
  const allowCredentials = readOptional(fields.allowCredentials, false, (v) =>
    readBoolean(issues, at("allowCredentials"), v),
  );
  if (allowCredentials === true && allowOrigins?.includes("*")) {
    issues.add(
      at("allowCredentials"),
      true,
      `API Gateway refuses allowCredentials with the "*" origin (browsers ignore credentials for it)`,
      "allowCredentials: true only with listed origins",
      `list the origins, e.g. allowOrigins: ["http://localhost:5173"]`,
    );
  }
  if (
    allowOrigins === undefined ||
    allowMethods === undefined ||
    allowHeaders === undefined ||
    exposeHeaders === undefined ||
    allowCredentials === undefined
  ) {
    return undefined;
  }
  return {
    allowOrigins,
    allowMethods: allowMethods.map((m) => m.toUpperCase()),
    allowHeaders,
    exposeHeaders,
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    allowCredentials,
  };
}

type Check = (item: string) => string | undefined;

const origin: Check = (item) =>
  item === "*" || /^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(item)
    ? undefined
    : `"${item}" is not an origin (scheme://host[:port], no path) or "*"`;
const method: Check = (item) =>
  METHODS.includes(item.toUpperCase()) ? undefined : `"${item}" is not an HTTP method or "*"`;
const token: Check = (item) =>
  /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(item) ? undefined : `"${item}" is not a header name or "*"`;

function readList(issues: Issues, path: string, value: unknown, check: Check): readonly string[] | undefined {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    issues.add(path, value, "must be a list of strings", "a list of strings", `write e.g. ["*"]`);
    return undefined;
  }
  let ok = true;
  for (const [index, item] of (value as string[]).entries()) {
    const problem = check(item);
    if (problem === undefined) continue;
    ok = false;
    issues.add(join(path, index), item, problem, "see the API Gateway CORS reference", "fix or remove it");
  }
  return ok ? (value as string[]) : undefined;
}
