/** The Lambda event of an HTTP API route in payload format 1.0 (the REST API proxy format). */

import { headersV1, headerValue, queryV1, requestTime } from "../apigateway/index.ts";
import { domainPrefix, type EventInput, isTextBody } from "./gateway-request.ts";

/** Typed loosely: API Gateway sends nulls and omits fields where @types/aws-lambda has neither. */
export function eventV1({ request, context, match }: EventInput): Record<string, unknown> {
  const { headers, multiValueHeaders } = headersV1(request.headers, {
    sourceIp: request.sourceIp,
    port: request.port,
    traceId: request.traceId,
    contentLength: request.body?.length,
  });
  const text = isTextBody(
    headerValue(request.headers, "content-type"),
    headerValue(request.headers, "content-encoding"),
  );
  const { route, pathParameters } = match;
  const resource = route.path ?? route.routeKey;
  return {
    version: "1.0",
    resource,
    path: request.rawPath,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    ...queryV1(request.rawQueryString),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: request.domainName,
      domainPrefix: domainPrefix(request.domainName),
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: request.userAgent,
        userArn: null,
      },
      path: request.rawPath,
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: requestTime(request.timeEpoch),
      requestTimeEpoch: request.timeEpoch,
      resourceId: null,
      resourcePath: resource,
      stage: context.stage,
    },
    pathParameters: Object.keys(pathParameters).length === 0 ? null : { ...pathParameters },
    stageVariables: null,
    body: request.body === undefined ? null : request.body.toString(text ? "utf8" : "base64"),
    isBase64Encoded: request.body !== undefined && !text,
  };
}
