/**
 * The app's WebSocket API (API Gateway WebSocket API with Lambda proxy integrations), as written
 * and as normalised.
 */

/**
 * Route keys to function names. `$connect` may refuse a connection, `$disconnect` is told when one
 * ends, `$default` takes messages no other route selects; any other key is a custom route.
 */
export type WebSocketRoutes<FunctionName extends string = string> = {
  $connect?: FunctionName;
  $disconnect?: FunctionName;
  $default?: FunctionName;
} & { [routeKey: string]: FunctionName | undefined };

export interface WebSocketDefinition<FunctionName extends string = string> {
  /**
   * Picks a message's route from its body. `$request.body.<path>` reads a JSON field; `${...}`
   * marks a variable inside other text.
   * @default "$request.body.action"
   * @example routeSelectionExpression: "$request.body.type"
   */
  routeSelectionExpression?: string;
  /**
   * The stage: clients connect to `/<stage>` and the management API answers under it.
   * @default "dev"
   */
  stage?: string;
  /** @example routes: { $connect: "connect", $default: "echo", sendMessage: "send" } */
  routes: WebSocketRoutes<FunctionName>;
}

export interface WebSocketApiSpec {
  readonly stage: string;
  readonly routeSelectionExpression: string;
  readonly routes: readonly WebSocketRouteSpec[];
}

export interface WebSocketRouteSpec {
  readonly routeKey: string;
  /** Name in the definition of the function the route invokes. */
  readonly function: string;
}

export const WEBSOCKET_DEFAULTS = {
  routeSelectionExpression: "$request.body.action",
  stage: "dev",
} as const;
