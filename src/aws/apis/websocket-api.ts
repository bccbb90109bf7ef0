/**
 * The WebSocket API (API Gateway v2, protocol WEBSOCKET): the route selection expression, one
 * Lambda proxy integration per function, one route per key ($connect, $disconnect, $default and
 * custom keys), the stage, a permission per function, and the URLs clients and the
 * `@connections` management API use.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { resourcePrefix } from "../../model/naming.ts";
import type { WebSocketApiSpec } from "../../model/websocket-api.ts";
import { invokedFunctionArn } from "../resources/provisioned-concurrency.ts";
import type { TemplateBuilder } from "../template/builder.ts";
import { getAtt, join, ref } from "../template/intrinsics.ts";
import { API_LOGICAL_IDS, logicalId } from "../template/logical-ids.ts";
import type { TemplateValue } from "../template/template.ts";
import { addRoutesAndStage, apiEndpointUrl, apiUrl } from "./api-parts.ts";

const OWNER = "the WebSocket API";

export function addWebSocketApi(builder: TemplateBuilder, spec: AppSpec, api: WebSocketApiSpec): void {
  const ids = { api: API_LOGICAL_IDS.websocketApi, stage: API_LOGICAL_IDS.websocketStage };
  builder.addResource(
    ids.api,
    {
      Type: "AWS::ApiGatewayV2::Api",
      Properties: {
        Name: `${resourcePrefix(spec)}-websocket`,
        ProtocolType: "WEBSOCKET",
        RouteSelectionExpression: api.routeSelectionExpression,
      },
    },
    OWNER,
  );
  addRoutesAndStage(builder, spec, api, {
    ids,
    owner: OWNER,
    integration: "webSocketIntegration",
    permission: "webSocketPermission",
    route: "webSocketRoute",
    routeKind: "websocket",
    routeOwner: (routeKey) => `WebSocket route "${routeKey}"`,
    // WebSocket integrations take Lambda's invocation URI, not the bare function ARN.
    integrationTarget: (name) => ({ IntegrationUri: invocationUri(spec, name), IntegrationMethod: "POST" }),
  });
  builder.addOutput(
    API_LOGICAL_IDS.websocketUrlOutput,
    { Description: "URL WebSocket clients connect to", Value: apiEndpointUrl(ids.api, api.stage) },
    OWNER,
  );
  builder.addOutput(
    API_LOGICAL_IDS.websocketCallbackUrlOutput,
    {
      Description: "Callback URL of the @connections management API (ApiGatewayManagementApi endpoint)",
      Value: apiUrl("https", ids.api, api.stage),
    },
    OWNER,
  );
}

/** `arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`. */
function invocationUri(spec: AppSpec, functionName: string): TemplateValue {
  const fn = spec.functions[functionName];
  return join(
    [
      "arn:",
      ref("AWS::Partition"),
      ":apigateway:",
      ref("AWS::Region"),
      ":lambda:path/2015-03-31/functions/",
      fn ? invokedFunctionArn(fn) : getAtt(logicalId("function", functionName), "Arn"),
      "/invocations",
    ],
    "",
  );
}
