/**
 * The Lambda proxy integration behind a matched route: builds the event in the API's payload
 * format, invokes the function (its routing delivered, as any invoke), and maps the result or the
 * failure to the response API Gateway would give.
 */
import { API_GATEWAY_LIMITS } from "../../model/api-gateway-limits.ts";
import { AwsError } from "../../model/errors.ts";
import type { HttpApiSpec } from "../../model/http-api.ts";
import { eventV1 } from "./event-v1.ts";
import { eventV2 } from "./event-v2.ts";
import type { EventInput } from "./gateway-request.ts";
import { GATEWAY, type GatewayResponse } from "./gateway-responses.ts";
import { TIMED_OUT, withIntegrationTimeout, type ApiBackend } from "../apigateway/index.ts";
import { responseV1 } from "./response-v1.ts";
import { responseV2 } from "./response-v2.ts";

const TIMEOUT_MS = API_GATEWAY_LIMITS.http.integrationTimeout.max * 1000;
const SERIALIZED = { serialized: true } as const;

export async function integrate(
  backend: ApiBackend,
  api: HttpApiSpec,
  input: EventInput,
): Promise<GatewayResponse> {
  const v1 = api.payloadFormat === "1.0";
  const payload = JSON.stringify(v1 ? eventV1(input) : eventV2(input));
  // withIntegrationTimeout handles a failure that comes after the timeout was answered.
  const invocation = backend.invoke(input.match.route.function, payload, SERIALIZED);
  let result: Awaited<typeof invocation> | typeof TIMED_OUT;
  try {
    result = await withIntegrationTimeout(invocation, backend.clock, TIMEOUT_MS);
  } catch (error) {
    return invokeFailure(error);
  }
  if (result === TIMED_OUT) return GATEWAY.unavailable();
  if (result.functionError !== undefined) return GATEWAY.internalError();
  return (v1 ? responseV1(result.payload) : responseV2(result.payload)) ?? GATEWAY.internalError();
}

/** Lambda refused the invoke: an event over its limit is the client's fault, anything else the gateway's. */
function invokeFailure(error: unknown): GatewayResponse {
  if (error instanceof AwsError && error.code === "RequestTooLargeException") return GATEWAY.eventTooLarge();
  return GATEWAY.internalError();
}
