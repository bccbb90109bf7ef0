/** Validates the `websocket` section: stage, route selection expression and routes to functions. */
import { API_GATEWAY_LIMITS } from "../api-gateway-limits.ts";
import { WEBSOCKET_DEFAULTS, type WebSocketApiSpec, type WebSocketRouteSpec } from "../websocket-api.ts";
import { parseSelectionExpression } from "../websocket-selection.ts";
import { readStage } from "./http-api.ts";
import { closest, didYouMean } from "./suggest.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  isRecord,
  join,
  quoteList,
  readObject,
  readOptional,
  readString,
} from "./values.ts";

const KEYS = ["routeSelectionExpression", "stage", "routes"] as const;
const RESERVED = ["$connect", "$disconnect", "$default"];
/** API Gateway's route keys: the reserved ones, or up to 128 characters without a leading $. */
const CUSTOM_KEY = /^[^$\s][^\s]{0,127}$/;

export function readWebSocketApi(issues: Issues, definition: Fields): WebSocketApiSpec | undefined {
  const value = definition.websocket;
  if (value === undefined) return undefined;
  const fields = readObject(issues, "websocket", value, `websocket: { routes: { $default: "echo" } }`);
  if (fields === undefined) return undefined;
  checkKeys(issues, "websocket", fields, KEYS);
  const functions = isRecord(definition.functions) ? Object.keys(definition.functions) : [];
  const stage = readOptional(fields.stage, WEBSOCKET_DEFAULTS.stage as string, (v) =>
    readStage(issues, "websocket.stage", v, false),
  );
  const expression = readOptional(
    fields.routeSelectionExpression,
    WEBSOCKET_DEFAULTS.routeSelectionExpression as string,
    (v) => readExpression(issues, "websocket.routeSelectionExpression", v),
  );
  const routes = readRoutes(issues, fields.routes, functions);
  if (stage === undefined || expression === undefined || routes === undefined) return undefined;
  return { stage, routeSelectionExpression: expression, routes };
}

function readExpression(issues: Issues, path: string, value: unknown): string | undefined {
  const text = readString(issues, path, value, `"$request.body.action"`);
  if (text === undefined) return undefined;
  const problem = parseSelectionExpression(text).problem;
  if (problem === undefined) return text;
  issues.add(
    path,
    value,
    problem,
    `$request.body.<field> (dots for nested fields), optionally inside text as \${request.body.<field>}`,
    `write e.g. "$request.body.action"`,
  );
  return undefined;
}

function readRoutes(
  issues: Issues,
  value: unknown,
  functions: readonly string[],
): readonly WebSocketRouteSpec[] | undefined {
  const path = "websocket.routes";
  if (value === undefined) {
    issues.add(
      path,
      value,
      "a WebSocket API needs routes",
      "an object of route keys to functions",
      `write routes: { $default: "echo" }`,
    );
    return undefined;
  }
  const fields = readObject(issues, path, value, `routes: { $default: "echo" }`);
  if (fields === undefined) return undefined;
  const routes: WebSocketRouteSpec[] = [];
  let ok = true;
  for (const [routeKey, target] of Object.entries(fields)) {
    const at = join(path, routeKey);
    if (routeKey.startsWith("$") ? !RESERVED.includes(routeKey) : !CUSTOM_KEY.test(routeKey)) {
      ok = false;
      const suggestion = closest(routeKey, RESERVED);
      issues.add(
        at,
        routeKey,
        `"${routeKey}" is not a route key API Gateway accepts.${didYouMean(routeKey, RESERVED)}`,
        `${quoteList(RESERVED)} or a custom key of 1–128 characters without spaces, not starting with $`,
        suggestion === undefined ? "rename the route key" : `rename it to "${suggestion}"`,
      );
      continue;
    }
    const name = readString(issues, at, target, `"echo"`);
    if (name === undefined) {
      ok = false;
    } else if (!functions.includes(name)) {
      ok = false;
      const suggestion = closest(name, functions);
      issues.add(
        at,
        name,
        `route "${routeKey}" invokes "${name}", which is not a function.${didYouMean(name, functions)}`,
        `one of the functions: ${quoteList(functions)}`,
        suggestion === undefined ? `define functions["${name}"]` : `write "${suggestion}"`,
      );
    } else {
      routes.push({ routeKey, function: name });
    }
  }
  const max = API_GATEWAY_LIMITS.websocket.routes.max;
  if (routes.length > max) {
    issues.add(
      path,
      routes.length,
      `the WebSocket API has ${routes.length} routes`,
      `at most ${max}`,
      "merge routes into $default",
    );
    ok = false;
  }
  return ok ? routes : undefined;
}
