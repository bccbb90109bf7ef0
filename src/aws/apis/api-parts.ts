/** What the HTTP and WebSocket APIs share: Lambda proxy integrations, routes, stages, permissions. */
import { arn, getAtt, join, ref, sub } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";

export interface ApiIds {
  readonly api: string;
  readonly stage: string;
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
