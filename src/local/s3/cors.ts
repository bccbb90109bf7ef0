/**
 * S3's CORS evaluation, pure: given a bucket's stored `CorsConfiguration` (AWS::S3::Bucket's
 * property shape: `CorsRules[]` of AllowedOrigins, AllowedMethods, AllowedHeaders, ExposedHeaders,
 * MaxAge), a request's Origin, method and requested headers, the headers S3 answers with or the
 * error it refuses with. S3 uses the first rule whose origin, method and every requested header
 * match; an AllowedOrigin or AllowedHeader may hold one `*` wildcard, headers compare without
 * case (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html, "How does Amazon S3
 * evaluate the CORS configuration on a bucket?"; the preflight is
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html).
 */
import { S3Error } from "./errors.ts";

export interface CorsRequest {
  /** The `Origin` header, undefined when absent. */
  readonly origin: string | undefined;
  /** The method asked for: `Access-Control-Request-Method` of a preflight, the request's own otherwise. */
  readonly method: string | undefined;
  /** `Access-Control-Request-Headers`, split on commas (a preflight only). */
  readonly requestHeaders?: readonly string[];
}

/** What the refusal names: `OBJECT` for an object URL, `BUCKET` for the bucket's. */
export type CorsResourceType = "OBJECT" | "BUCKET";

interface CorsRule {
  readonly origins: readonly string[];
  readonly methods: readonly string[];
  readonly headers: readonly string[];
  readonly expose: readonly string[];
  readonly maxAge?: number;
}

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/**
 * The headers of a successful preflight (OPTIONS). Throws S3's errors: BadRequest (400) without
 * an Origin or Access-Control-Request-Method, AccessForbidden (403) when the bucket has no CORS
 * configuration or no rule allows the request. `configuration` is the bucket's whole stored
 * configuration (the `CorsConfiguration` property is read from it) or undefined.
 */
export function corsPreflight(
  configuration: Readonly<Record<string, unknown>> | undefined,
  request: CorsRequest,
  resourceType: CorsResourceType = "OBJECT",
): Record<string, string> {
  if (!request.origin) {
    throw new S3Error("BadRequest", {}, "Insufficient information. Origin request header needed.");
  }
  if (!request.method) {
    throw new S3Error("BadRequest", {}, "Invalid Access-Control-Request-Method: null");
  }
  const rules = corsRules(configuration);
  const details = { Method: request.method, ResourceType: resourceType };
  if (rules === undefined) throw new S3Error("AccessForbidden", details);
  const requested = request.requestHeaders ?? [];
  const rule = rules.find((r) => matches(r, request.origin as string, request.method as string, requested));
  if (!rule) throw new S3Error("AccessForbidden", details, NOT_ALLOWED);
  return {
    ...allowHeaders(rule, request.origin),
    "access-control-allow-methods": rule.methods.join(", "),
    ...(requested.length > 0 ? { "access-control-allow-headers": requested.join(", ") } : {}),
    vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
  };
}

/**
 * The CORS headers S3 adds to an actual (non-preflight) request: those of the first rule matching
 * its Origin and method, or none (S3 then answers the request without them, and the browser
 * refuses it).
 */
export function corsResponseHeaders(
  configuration: Readonly<Record<string, unknown>> | undefined,
  request: CorsRequest,
): Record<string, string> {
  if (!request.origin || !request.method) return {};
  const rule = corsRules(configuration)?.find((r) =>
    matches(r, request.origin as string, request.method as string, []),
  );
  if (!rule) return {};
  return {
    ...allowHeaders(rule, request.origin),
    "access-control-allow-methods": rule.methods.join(", "),
    vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
  };
}

function allowHeaders(rule: CorsRule, origin: string): Record<string, string> {
  // A rule that allows any origin answers `*` and no credentials, as S3 does.
  const any = rule.origins.includes("*");
  return {
    "access-control-allow-origin": any ? "*" : origin,
    ...(any ? {} : { "access-control-allow-credentials": "true" }),
    ...(rule.expose.length > 0 ? { "access-control-expose-headers": rule.expose.join(", ") } : {}),
    ...(rule.maxAge === undefined ? {} : { "access-control-max-age": String(rule.maxAge) }),
  };
}

function matches(rule: CorsRule, origin: string, method: string, requested: readonly string[]): boolean {
  if (!rule.origins.some((o) => wildcard(o, origin, false))) return false;
  if (!rule.methods.includes(method.toUpperCase())) return false;
  return requested.every((h) => rule.headers.some((allowed) => wildcard(allowed, h, true)));
}

/** `pattern` with at most one `*` standing for any run of characters. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const star = p.indexOf("*");
  if (star === -1) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The rules of a stored configuration; undefined when the bucket has none. */
function corsRules(configuration: Readonly<Record<string, unknown>> | undefined): CorsRule[] | undefined {
  const cors = configuration?.CorsConfiguration as { CorsRules?: unknown } | undefined;
  if (!cors || !Array.isArray(cors.CorsRules) || cors.CorsRules.length === 0) return undefined;
  return (cors.CorsRules as Record<string, unknown>[]).map((r) => ({
    origins: strings(r.AllowedOrigins),
    methods: strings(r.AllowedMethods).map((m) => m.toUpperCase()),
    headers: strings(r.AllowedHeaders),
    expose: strings(r.ExposedHeaders),
    ...(typeof r.MaxAge === "number" ? { maxAge: r.MaxAge } : {}),
  }));
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `Access-Control-Request-Headers` split into names. */
export function requestedHeaders(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "");
}
