/**
 * Validates the HTTP API: each function's `http` route keys and `health` route, and the `api`
 * section. Reads the raw definition, so it needs nothing from the function validators.
 */
import { API_GATEWAY_LIMITS } from "../api-gateway-limits.ts";
import {
  DEFAULT_STAGE,
  HEALTH_DEFAULTS,
  type HealthSpec,
  type HttpApiSpec,
  type HttpRouteSpec,
  PAYLOAD_FORMATS,
  type PayloadFormat,
} from "../http-api.ts";
import { readCors } from "./cors.ts";
import { readRoute53Health } from "./failover.ts";
import { pathProblem, readRouteKey, routeShape } from "./http-route.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  isRecord,
  join,
  quoteList,
  readInteger,
  readObject,
  readOptional,
  readString,
} from "./values.ts";

const API_KEYS = ["stage", "payloadFormat", "cors"] as const;
const HEALTH_KEYS = [
  "path",
  "deepCheck",
  "deepPercent",
  "checkerIdVariable",
  "forceFailVariable",
  "route53",
] as const;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface HttpApiResult {
  readonly api: HttpApiSpec | undefined;
  /** Each function's normalised health check, by function name. */
  readonly health: ReadonlyMap<string, HealthSpec>;
}

interface RouteAt extends HttpRouteSpec {
  readonly at: string;
}

export function readHttpApi(issues: Issues, definition: Fields): HttpApiResult {
  const routes: RouteAt[] = [];
  const health = new Map<string, HealthSpec>();
  const functions = isRecord(definition.functions) ? definition.functions : {};
  for (const [name, fn] of Object.entries(functions)) {
    if (!isRecord(fn)) continue;
    const path = join("functions", name);
    routes.push(...readFunctionRoutes(issues, join(path, "http"), fn.http, name));
    if (fn.health === undefined) continue;
    const spec = readHealth(issues, join(path, "health"), fn.health);
    if (spec === undefined) continue;
    health.set(name, spec);
    const routeKey = `GET ${spec.path}`;
    routes.push({
      routeKey,
      method: "GET",
      path: spec.path,
      function: name,
      health: true,
      at: join(path, "health"),
    });
  }
  const settings = readApiSection(issues, definition.api);
  checkConflicts(issues, routes);
  if (routes.length === 0) {
    if (definition.api !== undefined) {
      issues.add(
        "api",
        definition.api,
        "the api section configures an HTTP API, but no function has http routes",
        "an api section only with functions that have http routes",
        `add http: "GET /" to a function, or remove the api section`,
      );
    }
    return { api: undefined, health };
  }
  const api: HttpApiSpec = {
    ...settings,
    routes: routes.map(({ at: _at, ...route }) => route),
  };
  return { api, health };
}

function readFunctionRoutes(issues: Issues, path: string, value: unknown, fn: string): RouteAt[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && value.length === 0) {
    issues.add(path, value, "http lists no route keys", "one route key or more", `write http: "GET /"`);
  }
  const routes: RouteAt[] = [];
  list.forEach((item, index) => {
    const at = Array.isArray(value) ? join(path, index) : path;
    const key = readRouteKey(issues, at, item);
    if (key !== undefined) routes.push({ ...key, function: fn, at });
  });
  return routes;
}

function readHealth(issues: Issues, path: string, value: unknown): HealthSpec | undefined {
  const fields = value === true ? {} : readObject(issues, path, value, `health: { path: "/health" }`);
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, HEALTH_KEYS);
  const at = (key: string): string => join(path, key);
  const routePath = readOptional(fields.path, HEALTH_DEFAULTS.path as string, (v) => {
    const text = readString(issues, at("path"), v, `path: "/health"`);
    const problem = text === undefined ? undefined : pathProblem(text);
    if (problem === undefined || text === undefined) return text;
    issues.add(at("path"), v, problem.message, `a path such as "/health"`, problem.fix);
    return undefined;
  });
  const deepCheck =
    fields.deepCheck === undefined
      ? undefined
      : readName(issues, at("deepCheck"), fields.deepCheck, IDENTIFIER);
  const defaultPercent = deepCheck === undefined ? 0 : HEALTH_DEFAULTS.deepPercent;
  const deepPercent = readOptional(fields.deepPercent, defaultPercent, (v) =>
    readInteger(issues, at("deepPercent"), v, { min: 0, max: 100, unit: "percent" }),
  );
  if (deepCheck === undefined && deepPercent !== undefined && deepPercent > 0) {
    issues.add(
      at("deepPercent"),
      fields.deepPercent,
      "deepPercent sends pings deep, but there is no deepCheck to run",
      "0 without a deepCheck",
      `name the dependency check export: deepCheck: "checkDependencies"`,
    );
  }
  const checkerIdVariable = readOptional(fields.checkerIdVariable, HEALTH_DEFAULTS.checkerIdVariable, (v) =>
    readName(issues, at("checkerIdVariable"), v, VARIABLE),
  );
  const forceFailVariable = readOptional(fields.forceFailVariable, HEALTH_DEFAULTS.forceFailVariable, (v) =>
    readName(issues, at("forceFailVariable"), v, VARIABLE),
  );
  const route53 =
    fields.route53 === undefined ? undefined : readRoute53Health(issues, at("route53"), fields.route53);
  if (
    routePath === undefined ||
    deepPercent === undefined ||
    checkerIdVariable === undefined ||
    forceFailVariable === undefined
  ) {
    return undefined;
  }
  return {
    path: routePath,
    ...(deepCheck === undefined ? {} : { deepCheck }),
    deepPercent,
    checkerIdVariable,
    forceFailVariable,
    ...(route53 === undefined ? {} : { route53 }),
  };
}

function readName(issues: Issues, path: string, value: unknown, pattern: RegExp): string | undefined {
  const text = readString(issues, path, value, `"checkDependencies"`);
  if (text === undefined || pattern.test(text)) return text;
  issues.add(
    path,
    value,
    `"${text}" is not a valid name here`,
    pattern === IDENTIFIER ? "a JavaScript export name" : "an environment variable name (letters, digits, _)",
    "use letters, digits and underscores, not starting with a digit",
  );
  return undefined;
}

function readApiSection(issues: Issues, value: unknown): Omit<HttpApiSpec, "routes"> {
  const fields =
    value === undefined ? {} : (readObject(issues, "api", value, `api: { stage: "prod" }`) ?? {});
  checkKeys(issues, "api", fields, API_KEYS);
  const stage = readOptional(fields.stage, DEFAULT_STAGE as string, (v) => readStage(issues, "api.stage", v));
  const payloadFormat = readOptional(fields.payloadFormat, "2.0" as PayloadFormat, (v) => {
    if ((PAYLOAD_FORMATS as readonly unknown[]).includes(v)) return v as PayloadFormat;
    const fix =
      typeof v === "number"
        ? `write it as a string: payloadFormat: "${v.toFixed(1)}"`
        : `write payloadFormat: "2.0"`;
    issues.add(
      "api.payloadFormat",
      v,
      "payloadFormat is not a format HTTP APIs support",
      quoteList(PAYLOAD_FORMATS),
      fix,
    );
    return undefined;
  });
  const cors = fields.cors === undefined ? undefined : readCors(issues, "api.cors", fields.cors);
  return {
    stage: stage ?? DEFAULT_STAGE,
    payloadFormat: payloadFormat ?? "2.0",
    ...(cors === undefined ? {} : { cors }),
  };
}

/** A stage name: `$default`, or what API Gateway allows in a stage name. */
export function readStage(
  issues: Issues,
  path: string,
  value: unknown,
  allowDefault = true,
): string | undefined {
  const text = readString(issues, path, value, `stage: "prod"`);
  if (text === undefined) return undefined;
  const row = API_GATEWAY_LIMITS.stageName;
  if ((allowDefault && text === DEFAULT_STAGE) || (row.pattern.test(text) && text.length <= row.max))
    return text;
  issues.add(
    path,
    value,
    `"${text}" is not a valid stage name`,
    `${allowDefault ? `"${DEFAULT_STAGE}" or ` : ""}${row.min}–${row.max} ${row.charset}`,
    `write e.g. stage: "prod"`,
  );
  return undefined;
}

function checkConflicts(issues: Issues, routes: readonly RouteAt[]): void {
  const seen = new Map<string, RouteAt>();
  for (const route of routes) {
    const shape = routeShape(route.routeKey);
    const first = seen.get(shape);
    if (first === undefined) {
      seen.set(shape, route);
      continue;
    }
    const same = first.routeKey === route.routeKey;
    issues.add(
      route.at,
      route.routeKey,
      same
        ? `route "${route.routeKey}" is already defined at ${first.at} (function "${first.function}")`
        : `route "${route.routeKey}" matches the same requests as "${first.routeKey}" at ${first.at}`,
      "each route once in the HTTP API",
      route.health || first.health
        ? "move the health check to another path with health.path, or remove the other route"
        : "keep one of the two routes; one function can serve both through its own dispatch",
    );
  }
  const max = API_GATEWAY_LIMITS.http.routes.max;
  if (routes.length > max) {
    issues.add(
      "functions",
      routes.length,
      `the HTTP API has ${routes.length} routes`,
      `at most ${max}`,
      "merge routes, e.g. with ANY /{proxy+}",
    );
  }
}
