/** What the HTTP and WebSocket APIs share: Lambda proxy integrations, routes, stages, permissions. */
import type { AppSpec } from "../../model/app-spec.ts";
import { invokedFunctionName } from "../resources/provisioned-concurrency.ts";
import type { TemplateBuilder } from "../template/builder.ts";
import { arn, getAtt, join, ref, sub } from "../template/intrinsics.ts";
import { logicalId, routeKeyName } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";

export interface ApiIds {
  readonly api: string;
  readonly stage: string;
}

/** How one protocol's API names its parts; the rest of building them is the same for both. */
export interface ApiProtocol {
  readonly ids: ApiIds;
  /** Owner of the API's own resources in the builder's messages. */
  readonly owner: string;
  readonly integration: "httpIntegration" | "webSocketIntegration";
  readonly permission: "httpPermission" | "webSocketPermission";
  readonly route: "httpRoute" | "webSocketRoute";
  readonly routeKind: "http" | "websocket";
  routeOwner(routeKey: string): string;
  /** The integration's properties after ApiId and IntegrationType. */
  integrationTarget(functionName: string): Record<string, TemplateValue>;
}

/**
 * Per function a Lambda proxy integration and a permission for this API to invoke it, a route per
 * route key, and the stage that deploys them.
 */
export function addRoutesAndStage(
  builder: TemplateBuilder,
  spec: AppSpec,
  api: {
    readonly routes: readonly { readonly routeKey: string; readonly function: string }[];
    readonly stage: string;
  },
  protocol: ApiProtocol,
): void {
  const { ids } = protocol;
  for (const name of new Set(api.routes.map((r) => r.function))) {
    const owner = `function "${name}"`;
    const fn = spec.functions[name];
    builder.addResource(
      logicalId(protocol.integration, name),
      {
        Type: "AWS::ApiGatewayV2::Integration",
        Properties: {
          ApiId: ref(ids.api),
          IntegrationType: "AWS_PROXY",
          ...protocol.integrationTarget(name),
        },
      },
      owner,
    );
    builder.addResource(
      logicalId(protocol.permission, name),
      invokePermission(ids.api, name, fn ? invokedFunctionName(fn) : undefined),
      owner,
    );
  }
  const routeIds: string[] = [];
  for (const r of api.routes) {
    const id = logicalId(protocol.route, routeKeyName(r.routeKey, protocol.routeKind));
    builder.addResource(
      id,
      route(ids.api, r.routeKey, logicalId(protocol.integration, r.function)),
      protocol.routeOwner(r.routeKey),
    );
    routeIds.push(id);
  }
  builder.addResource(ids.stage, stage(ids, api.stage, routeIds), protocol.owner);
}

/** The route's target as API Gateway wants it: `integrations/<IntegrationId>`. */
export function route(apiId: string, routeKey: string, integrationId: string): TemplateResource {
  return {
    Type: "AWS::ApiGatewayV2::Route",
    Properties: {
      ApiId: ref(apiId),
      RouteKey: routeKey,
      Target: join(["integrations", ref(integrationId)], "/"),
    },
  };
}

/** Changes deploy on their own (AutoDeploy); the stage waits for the routes so the first deployment has them. */
export function stage(ids: ApiIds, stageName: string, routeIds: readonly string[]): TemplateResource {
  return {
    Type: "AWS::ApiGatewayV2::Stage",
    Properties: { ApiId: ref(ids.api), StageName: stageName, AutoDeploy: true },
    DependsOn: [...routeIds],
  };
}

/**
 * Lets API Gateway invoke the function, from this API only: the source ARN is
 * `arn:…:execute-api:region:account:<api-id>/*` (any stage, method and route of the API).
 */
export function invokePermission(
  apiId: string,
  functionName: string,
  /** The function or alias invoked. @default the function */
  invoked: TemplateValue = ref(logicalId("function", functionName)),
): TemplateResource {
  return {
    Type: "AWS::Lambda::Permission",
    Properties: {
      Action: "lambda:InvokeFunction",
      FunctionName: invoked,
      Principal: "apigateway.amazonaws.com",
      SourceArn: arn("execute-api", `\${${apiId}}/*`),
    },
  };
}

/**
 * The API's own endpoint (`https://…` or `wss://…`) plus the stage path. Read from the Api's
 * ApiEndpoint attribute rather than spelled out, so the output is right wherever the stack runs
 * (a custom domain suffix, or the local cloud's own server).
 */
export function apiEndpointUrl(apiId: string, stageName: string): TemplateValue {
  return join([getAtt(apiId, "ApiEndpoint"), stageName === "$default" ? "/" : `/${stageName}`]);
}

/** `https://<api-id>.execute-api.<region>.<suffix>/<stage>` (no stage path for `$default`). */
export function apiUrl(scheme: "https" | "wss", apiId: string, stageName: string): TemplateValue {
  const path = stageName === "$default" ? "/" : `/${stageName}`;
  return sub(`${scheme}://\${${apiId}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}${path}`);
}
