/**
 * The HTTP and WebSocket APIs of a region's deployed stacks: one API server each, on the port
 * its Api resource was given, serving the routes its Route and Integration resources declare
 * with the stage its Stage resource names. An API without a stage is not served, as on AWS.
 */
import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import type {
  CorsSpec,
  HttpApiSpec,
  HttpMethod,
  HttpRouteSpec,
  PayloadFormat,
} from "../../model/http-api.ts";
import type { WebSocketApiSpec } from "../../model/websocket-api.ts";
import { apiSeed } from "../cloudformation/index.ts";
import { type DeployedResource, list, num, obj, type ResourceIndex, str } from "./deployed-resources.ts";

/** One deployed API and the app its server serves. */
export interface DeployedApi {
  /** `<stack>/<logicalId>`: stable across updates of the stack. */
  readonly key: string;
  readonly stackName: string;
  readonly apiId: string;
  readonly kind: "http" | "websocket";
  /** The port its ApiEndpoint names. */
  readonly port: number;
  /** The API section over the region's functions; its name makes the server's API id the Api's Ref. */
  readonly spec: AppSpec;
}

export function translateApis(
  index: ResourceIndex,
  base: Pick<AppSpec, "region" | "accountId" | "functions">,
): DeployedApi[] {
  const apis: DeployedApi[] = [];
  for (const api of index.of("AWS::ApiGatewayV2::Api")) {
    const kind = api.properties.ProtocolType === "WEBSOCKET" ? "websocket" : "http";
    const stage = index.of("AWS::ApiGatewayV2::Stage").find((s) => s.properties.ApiId === api.physicalId);
    if (!stage) {
      index.notes.push(
        `API ${api.physicalId} (${api.stackName}): no stage is deployed, so it serves nothing`,
      );
      continue;
    }
    const routes = routesOf(index, api);
    const stageName = String(stage.properties.StageName);
    const section =
      kind === "http"
        ? { http: httpApi(index, api, routes, stageName) }
        : { websocket: websocketApi(api, routes, stageName) };
    const port = Number(new URL(String(api.attributes.ApiEndpoint)).port);
    apis.push({
      key: `${api.stackName}/${api.logicalId}`,
      stackName: api.stackName,
      apiId: api.physicalId,
      kind,
      port,
      spec: {
        name: apiSeed(api.stackId, api.logicalId),
        region: base.region,
        accountId: base.accountId,
        functions: base.functions as Record<string, FunctionSpec>,
        queues: {},
        ...section,
      },
    });
  }
  return apis;
}

interface ApiRoute {
  readonly routeKey: string;
  readonly function: string;
  readonly payloadFormat: PayloadFormat;
}

function routesOf(index: ResourceIndex, api: DeployedResource): ApiRoute[] {
  const integrations = index
    .of("AWS::ApiGatewayV2::Integration")
    .filter((i) => i.properties.ApiId === api.physicalId);
  const routes: ApiRoute[] = [];
  for (const route of index.of("AWS::ApiGatewayV2::Route")) {
    if (route.properties.ApiId !== api.physicalId) continue;
    const routeKey = String(route.properties.RouteKey);
    const integrationId = String(route.properties.Target ?? "").replace(/^integrations\//, "");
    const integration = integrations.find((i) => i.physicalId === integrationId);
    const fn = integration
      ? index.functionName(String(integration.properties.IntegrationUri ?? ""))
      : undefined;
    if (!integration || fn === undefined) {
      index.notes.push(
        `API ${api.physicalId}: route ${routeKey} has no Lambda integration deployed in this region`,
      );
      continue;
    }
    const format = str(integration.properties.PayloadFormatVersion) === "1.0" ? "1.0" : "2.0";
    routes.push({ routeKey, function: fn, payloadFormat: format });
  }
  return routes;
}

function httpApi(
  index: ResourceIndex,
  api: DeployedResource,
  routes: ApiRoute[],
  stage: string,
): HttpApiSpec {
  const formats = new Set(routes.map((r) => r.payloadFormat));
  if (formats.size > 1) {
    index.notes.push(
      `API ${api.physicalId}: the local server uses one payload format per API; routes mix 1.0 and 2.0`,
    );
  }
  const cors = corsOf(api.properties.CorsConfiguration);
  return {
    stage,
    payloadFormat: routes[0]?.payloadFormat ?? "2.0",
    ...(cors ? { cors } : {}),
    routes: routes.map((r): HttpRouteSpec => {
      if (r.routeKey === "$default")
        return { routeKey: r.routeKey, method: "$default", function: r.function };
      const [method = "ANY", path = "/"] = r.routeKey.split(" ");
      return { routeKey: r.routeKey, method: method as HttpMethod, path, function: r.function };
    }),
  };
}

function websocketApi(api: DeployedResource, routes: ApiRoute[], stage: string): WebSocketApiSpec {
  return {
    stage,
    routeSelectionExpression: String(api.properties.RouteSelectionExpression ?? "$request.body.action"),
    routes: routes.map((r) => ({ routeKey: r.routeKey, function: r.function })),
  };
}

function corsOf(value: unknown): CorsSpec | undefined {
  if (value === undefined) return undefined;
  const c = obj(value);
  const strings = (v: unknown) => list(v).map(String);
  return {
    allowOrigins: strings(c.AllowOrigins),
    allowMethods: strings(c.AllowMethods),
    allowHeaders: strings(c.AllowHeaders),
    exposeHeaders: strings(c.ExposeHeaders),
    ...(c.MaxAge === undefined ? {} : { maxAgeSeconds: num(c.MaxAge, 0) }),
    allowCredentials: c.AllowCredentials === true || c.AllowCredentials === "true",
  };
}
