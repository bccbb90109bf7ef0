/**
 * The HTTP API (API Gateway v2, protocol HTTP): one Lambda proxy integration per function, one
 * route per route key (health check routes included), the stage, CORS as the definition states
 * it, and a permission per function for this API to invoke it.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import type { CorsSpec, HttpApiSpec } from "../../model/http-api.ts";
import { resourcePrefix } from "../../model/naming.ts";
import { getAtt, ref } from "../template/intrinsics.ts";
import { API_LOGICAL_IDS, logicalId, routeKeyName } from "../template/logical-ids.ts";
import type { TemplateBuilder } from "../template/builder.ts";
import type { TemplateValue } from "../template/template.ts";
import { invokedFunctionArn, invokedFunctionName } from "../resources/provisioned-concurrency.ts";
import { apiEndpointUrl, invokePermission, route, stage } from "./api-parts.ts";

const OWNER = "the HTTP API";

export function addHttpApi(builder: TemplateBuilder, spec: AppSpec, api: HttpApiSpec): void {
  const ids = { api: API_LOGICAL_IDS.httpApi, stage: API_LOGICAL_IDS.httpStage };
  const properties: Record<string, TemplateValue> = {
    Name: `${resourcePrefix(spec)}-http`,
    ProtocolType: "HTTP",
  };
  if (api.cors) properties.CorsConfiguration = corsConfiguration(api.cors);
  builder.addResource(ids.api, { Type: "AWS::ApiGatewayV2::Api", Properties: properties }, OWNER);
  const functions = [...new Set(api.routes.map((r) => r.function))];
  for (const name of functions) {
    const owner = `function "${name}"`;
    const fn = spec.functions[name];
    builder.addResource(
      logicalId("httpIntegration", name),
      {
        Type: "AWS::ApiGatewayV2::Integration",
        Properties: {
          ApiId: ref(ids.api),
          IntegrationType: "AWS_PROXY",
          // The `live` alias of a function with provisioned concurrency, where that capacity is.
          IntegrationUri: fn ? invokedFunctionArn(fn) : getAtt(logicalId("function", name), "Arn"),
          PayloadFormatVersion: api.payloadFormat,
        },
      },
      owner,
    );
    builder.addResource(
      logicalId("httpPermission", name),
      invokePermission(ids.api, name, fn ? invokedFunctionName(fn) : undefined),
      owner,
    );
  }
  const routeIds: string[] = [];
  for (const r of api.routes) {
    const id = logicalId("httpRoute", routeKeyName(r.routeKey, "http"));
    builder.addResource(
      id,
      route(ids.api, r.routeKey, logicalId("httpIntegration", r.function)),
      `route "${r.routeKey}"`,
    );
    routeIds.push(id);
  }
  builder.addResource(ids.stage, stage(ids, api.stage, routeIds), OWNER);
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
