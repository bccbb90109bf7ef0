/** The Lambda event of an HTTP API route in payload format 2.0. */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Mutable } from "../../model/mutable.ts";
import { headersV2, headerValue, queryV2, requestTime } from "../apigateway/index.ts";
import { domainPrefix, type EventInput, isTextBody } from "./gateway-request.ts";

export function eventV2({ request, context, match }: EventInput): APIGatewayProxyEventV2 {
  const { headers, cookies } = headersV2(request.headers, {
    sourceIp: request.sourceIp,
    port: request.port,
    traceId: request.traceId,
    contentLength: request.body?.length,
  });
  const query = queryV2(request.rawQueryString);
  const text = isTextBody(
    headerValue(request.headers, "content-type"),
    headerValue(request.headers, "content-encoding"),
  );
  const { route, pathParameters } = match;
  // Built in key order, optional keys assigned in place: spreading `{}` or a one-key object into
  // the literal made V8 build the event (and JSON.stringify walk it) on its slow path.
  const event: Mutable<APIGatewayProxyEventV2> = {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
  } as Mutable<APIGatewayProxyEventV2>;
  if (cookies !== undefined) event.cookies = cookies;
  event.headers = headers;
  if (query !== undefined) event.queryStringParameters = query;
  event.requestContext = {
    accountId: context.accountId,
    apiId: context.apiId,
    domainName: request.domainName,
    domainPrefix: domainPrefix(request.domainName),
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
    },
    requestId: request.requestId,
    routeKey: route.routeKey,
    stage: context.stage,
    time: requestTime(request.timeEpoch),
    timeEpoch: request.timeEpoch,
  };
  if (Object.keys(pathParameters).length > 0) event.pathParameters = { ...pathParameters };
  event.isBase64Encoded = request.body !== undefined && !text;
  if (request.body !== undefined) event.body = request.body.toString(text ? "utf8" : "base64");
  return event;
}
