/**
 * The HTTP API (API Gateway v2, protocol HTTP): one Lambda proxy integration per function, one
 * route per route key (health check routes included), the stage, CORS as the definition states
 * it, and a permission per function for this API to invoke it.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import type { CorsSpec, HttpApiSpec } from "../../model/http-api.ts";
import { resourcePrefix } from "../../model/naming.ts";
import { invokedFunctionArn } from "../resources/provisioned-concurrency.ts";
import type { TemplateBuilder } from "../template/builder.ts";
import { getAtt } from "../template/intrinsics.ts";
import { API_LOGICAL_IDS, logicalId } from "../template/logical-ids.ts";
import type { TemplateValue } from "../template/template.ts";
import { addRoutesAndStage, apiEndpointUrl } from "./api-parts.ts";

const OWNER = "the HTTP API";

export function addHttpApi(builder: TemplateBuilder, spec: AppSpec, api: HttpApiSpec): void {
  const ids = { api: API_LOGICAL_IDS.httpApi, stage: API_LOGICAL_IDS.httpStage };
  const properties: Record<string, TemplateValue> = {
    Name: `${resourcePrefix(spec)}-http`,
    ProtocolType: "HTTP",
  };
  if (api.cors) properties.CorsConfiguration = corsConfiguration(api.cors);
  builder.addResource(ids.api, { Type: "AWS::ApiGatewayV2::Api", Properties: properties }, OWNER);
  addRoutesAndStage(builder, spec, api, {
    ids,
    owner: OWNER,
    integration: "httpIntegration",
    permission: "httpPermission",
    route: "httpRoute",
    routeKind: "http",
    routeOwner: (routeKey) => `route "${routeKey}"`,
    integrationTarget: (name) => {
      const fn = spec.functions[name];
      return {
        // The `live` alias of a function with provisioned concurrency, where that capacity is.
        IntegrationUri: fn ? invokedFunctionArn(fn) : getAtt(logicalId("function", name), "Arn"),
        PayloadFormatVersion: api.payloadFormat,
      };
    },
  });
  builder.addOutput(
    API_LOGICAL_IDS.httpUrlOutput,
    { Description: "URL of the HTTP API", Value: apiEndpointUrl(ids.api, api.stage) },
    OWNER,
  );
}

/** HTTP APIs answer preflights themselves from this configuration, as `dev` does. */
function corsConfiguration(cors: CorsSpec): Record<string, TemplateValue> {
  const configuration: Record<string, TemplateValue> = {
    AllowOrigins: [...cors.allowOrigins],
    AllowMethods: [...cors.allowMethods],
    AllowHeaders: [...cors.allowHeaders],
    AllowCredentials: cors.allowCredentials,
  };
  if (cors.exposeHeaders.length > 0) configuration.ExposeHeaders = [...cors.exposeHeaders];
  if (cors.maxAgeSeconds !== undefined) configuration.MaxAge = cors.maxAgeSeconds;
  return configuration;
}
