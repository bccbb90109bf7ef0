/**
 * The Lambda proxy integration behind a matched route: builds the event in the API's payload
 * format, invokes the function (its routing delivered, as any invoke), and maps the result or the
 * failure to the response API Gateway would give.
 */
import { API_GATEWAY_LIMITS } from "../../model/api-gateway-limits.ts";
import { AwsError } from "../../model/errors.ts";
import type { HttpApiSpec } from "../../model/http-api.ts";
import type { Mutable } from "../../model/mutable.ts";
import { type ApiBackend, requestHopHeader, TIMED_OUT, withIntegrationTimeout } from "../apigateway/index.ts";
import type { HopInput } from "../traces/index.ts";
import { eventV1 } from "./event-v1.ts";
import { eventV2 } from "./event-v2.ts";
import type { EventInput } from "./gateway-request.ts";
import { GATEWAY, type GatewayResponse } from "./gateway-responses.ts";
import { responseV1 } from "./response-v1.ts";
import { responseV2 } from "./response-v2.ts";

const TIMEOUT_MS = API_GATEWAY_LIMITS.http.integrationTimeout.max * 1000;

/**
 * Invokes the route's function with the event and records the `request` hop (source `client`,
 * target `api:<route key>`, an error when the answer is a 5xx) when the server has a tracer.
 */
export async function integrate(
  backend: ApiBackend,
  api: HttpApiSpec,
  input: EventInput,
): Promise<GatewayResponse> {
  const v1 = api.payloadFormat === "1.0";
  const payload = JSON.stringify(v1 ? eventV1(input) : eventV2(input));
  const { tracer, request } = input;
  const { routeKey, function: functionName } = input.match.route;
  // The request's hop: the trace the client sent (or the gateway's), with a segment of its own.
  // Only a recorded hop needs one: without a tracer (`sluice serve`) the invocation continues the
  // request's header itself, and nothing is spent on every request for a hop nobody keeps.
  const header = tracer ? requestHopHeader(request.traceId, request.timeEpoch) : request.traceId;
  const startMs = tracer ? backend.clock.now() : 0;
  const source = `api:${routeKey}`;
  // The invoke and its answer in this one async function (no second one per request to await).
  // withIntegrationTimeout handles a failure that comes after the timeout was answered.
  const invocation = backend.invoke(functionName, payload, { serialized: true, traceHeader: header, source });
  let result: Awaited<typeof invocation> | typeof TIMED_OUT | undefined;
  let refused: GatewayResponse | undefined;
  try {
    result = await withIntegrationTimeout(invocation, backend.clock, TIMEOUT_MS);
  } catch (error) {
    refused = invokeFailure(error);
  }
  const response =
    refused ??
    (result === TIMED_OUT || result === undefined
      ? GATEWAY.unavailable()
      : result.functionError !== undefined
        ? GATEWAY.internalError()
        : ((v1 ? responseV1(result.payload) : responseV2(result.payload)) ?? GATEWAY.internalError()));
  if (!tracer) return response;
  const failed = response.status >= 500;
  // One literal, optional keys assigned after: spreading `{}` or a one-key object into it sent V8
  // down its slow path (a dictionary object) for every request.
  const hop: Mutable<HopInput> = {
    header,
    kind: "request",
    source: "client",
    target: source,
    startMs,
    durationMs: backend.clock.now() - startMs,
    outcome: failed ? "error" : "success",
    payload,
    requestId: request.requestId,
  };
  if (request.traceId.includes("Parent=")) hop.parentHeader = request.traceId;
  if (failed) hop.detail = `${response.status} ${response.body.toString("utf8")}`;
  tracer.record(hop);
  return response;
}

/** Lambda refused the invoke: an event over its limit is the client's fault, anything else the gateway's. */
function invokeFailure(error: unknown): GatewayResponse {
  if (error instanceof AwsError && error.code === "RequestTooLargeException") return GATEWAY.eventTooLarge();
  return GATEWAY.internalError();
}
