/**
 * AWS::ApiGatewayV2::Api, Stage, Integration and Route (HTTP and WebSocket APIs with Lambda proxy
 * integrations). An API's id is derived from its stack and logical id, as the local API servers
 * derive theirs; its server gets a port for good when the API is created, and ApiEndpoint is that
 * server's URL. The host starts the servers from these resources when the stack settles.
 */
import { localApiId } from "../../../model/api-ids.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  LOWER_ALNUM,
  objectProp,
  type Properties,
  randomChars,
  requiredString,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

/** What the local API server of a deployed API is named after; `localApiId(seed, kind)` is its id. */
export function apiSeed(stackId: string, logicalId: string): string {
  return `${stackId}/${logicalId}`;
}

function protocol(properties: Properties, context: ResourceContext): "http" | "websocket" {
  const type = requiredString(properties, "ProtocolType", context);
  if (type === "HTTP") return "http";
  if (type === "WEBSOCKET") return "websocket";
  throw new ResourceFailure(`Invalid protocol type ${type}; it must be HTTP or WEBSOCKET.`);
}

function checkApi(properties: Properties, context: ResourceContext): "http" | "websocket" {
  const kind = protocol(properties, context);
  if (stringProp(properties, "Body") !== undefined || properties.BodyS3Location !== undefined) {
    throw new ResourceFailure(
      "The local cloud builds APIs from Route and Integration resources; an OpenAPI Body is not supported.",
    );
  }
  if (kind === "websocket" && stringProp(properties, "RouteSelectionExpression") === undefined) {
    throw new ResourceFailure("RouteSelectionExpression is required for a WEBSOCKET API.");
  }
  if (kind === "http" && stringProp(properties, "Target") !== undefined) {
    throw new ResourceFailure(
      "The local cloud does not support quick create (Target); declare Route and Integration resources.",
    );
  }
  objectProp(properties, "CorsConfiguration");
  return kind;
}

export function apiProvider(env: ProviderEnv) {
  const host = env.apiHost ?? "127.0.0.1";
  return defineProvider("AWS::ApiGatewayV2::Api", {
    async create(properties, context) {
      const kind = checkApi(properties, context);
      const id = localApiId(apiSeed(context.stackId, context.logicalId), kind);
      const port = await env.allocatePort();
      const endpoint = `${kind === "http" ? "http" : "ws"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
      return { physicalId: id, attributes: { ApiId: id, ApiEndpoint: endpoint } };
    },
    update(current, properties, context) {
      checkApi(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}

export function stageProvider() {
  const provision = (properties: Properties, context: ResourceContext) => {
    requiredString(properties, "ApiId", context);
    const name = requiredString(properties, "StageName", context);
    if (!/^(\$default|[A-Za-z0-9_-]{1,128})$/.test(name)) {
      throw new ResourceFailure(
        `Stage name ${name} is invalid: use $default, or 1-128 letters, digits, hyphens and underscores.`,
      );
    }
    return { physicalId: name, attributes: {} };
  };
  return defineProvider("AWS::ApiGatewayV2::Stage", {
    create: provision,
    update: (_current, properties, context) => provision(properties, context),
  });
}

export function integrationProvider(env: ProviderEnv) {
  const check = (properties: Properties, context: ResourceContext) => {
    requiredString(properties, "ApiId", context);
    const type = requiredString(properties, "IntegrationType", context);
    if (type !== "AWS_PROXY") {
      throw new ResourceFailure(
        `The local cloud runs Lambda proxy integrations (AWS_PROXY) only; got ${type}.`,
      );
    }
    const uri = requiredString(properties, "IntegrationUri", context);
    if (!uri.includes(":function:")) {
      throw new ResourceFailure(`IntegrationUri ${uri} does not name a Lambda function.`);
    }
    const format = stringProp(properties, "PayloadFormatVersion");
    if (format !== undefined && format !== "1.0" && format !== "2.0") {
      throw new ResourceFailure(`Invalid PayloadFormatVersion ${format}; it must be 1.0 or 2.0.`);
    }
  };
  return apiPartProvider("AWS::ApiGatewayV2::Integration", "IntegrationId", env, check);
}

export function routeProvider(env: ProviderEnv) {
  const check = (properties: Properties, context: ResourceContext) => {
    requiredString(properties, "ApiId", context);
    const key = requiredString(properties, "RouteKey", context);
    const target = stringProp(properties, "Target");
    if (target !== undefined && !/^integrations\/[a-z0-9]+$/.test(target)) {
      throw new ResourceFailure(`Invalid Target ${target}; it must be integrations/<integration id>.`);
    }
    if (key !== "$default" && key.startsWith("$") === false && /^[A-Z]+ \//.test(key)) {
      const method = key.slice(0, key.indexOf(" "));
      if (!["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"].includes(method)) {
        throw new ResourceFailure(`Invalid route key ${key}: unknown method ${method}.`);
      }
    }
  };
  return apiPartProvider("AWS::ApiGatewayV2::Route", "RouteId", env, check);
}

/**
 * A part of an API with a generated 7-character id (an integration, a route): `check`ed on create
 * and on update, which keeps the id.
 */
function apiPartProvider(
  type: "AWS::ApiGatewayV2::Integration" | "AWS::ApiGatewayV2::Route",
  idAttribute: string,
  env: ProviderEnv,
  check: (properties: Properties, context: ResourceContext) => void,
) {
  return defineProvider(type, {
    create(properties, context) {
      check(properties, context);
      const id = (env.random ?? randomChars)(7, LOWER_ALNUM);
      return { physicalId: id, attributes: { [idAttribute]: id } };
    },
    update(current, properties, context) {
      check(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
