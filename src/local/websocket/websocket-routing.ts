/**
 * Picks a message's route: the key its route selection expression evaluates to, else `$default`.
 * A message cannot select `$connect` or `$disconnect`. Binary messages go to `$default`.
 */

import type { WebSocketApiSpec, WebSocketRouteSpec } from "../../model/websocket-api.ts";
import {
  type ParsedSelection,
  parseSelectionExpression,
  selectRouteKey,
} from "../../model/websocket-selection.ts";
import { routeOf } from "./websocket-dispatch.ts";

const parsed = new WeakMap<WebSocketApiSpec, ParsedSelection>();

export function selectedRoute(
  api: WebSocketApiSpec,
  body: string | undefined,
): WebSocketRouteSpec | undefined {
  let selection = parsed.get(api);
  if (selection === undefined) {
    selection = parseSelectionExpression(api.routeSelectionExpression);
    parsed.set(api, selection);
  }
  const key = body === undefined ? undefined : selectRouteKey(selection, body);
  const route =
    key === undefined || key === "$connect" || key === "$disconnect" ? undefined : routeOf(api, key);
  return route ?? routeOf(api, "$default");
}
