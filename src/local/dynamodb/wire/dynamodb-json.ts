/**
 * DynamoDB over AWS JSON 1.0: `X-Amz-Target: DynamoDB_20120810.<Action>`, what
 * @aws-sdk/client-dynamodb v3, lib-dynamodb and `aws dynamodb` send. Each call is authorized
 * for every table and index it names (`resourcesOf`) before the engine runs it. Errors carry
 * DynamoDB's `__type` (`com.amazonaws.dynamodb.v20120810#<Code>`; request validation
 * `com.amazon.coral.validate#ValidationException`, as DynamoDB answers) and, where DynamoDB adds
 * them, the failed item or the CancellationReasons.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
 */
import type { ServerResponse } from "node:http";
import {
  AccessDeniedError,
  AfterAnswer,
  type AwsCall,
  describeError,
  parseJsonObject,
  sendAwsJson,
} from "../../wire/index.ts";
import type { DynamoDbServiceApi } from "../dynamodb-service.ts";
import { DynamoDbError } from "../errors.ts";
import { answerJson } from "./answer-json.ts";

/** A call as DynamoDB's wire handler sees it: all it needs of the local cloud is its DynamoDB. */
export type DynamoDbCall = AwsCall<{ readonly dynamodb: DynamoDbServiceApi }>;

export const DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810.";

const SERVICE_NAMESPACE = "com.amazonaws.dynamodb.v20120810";
const COMMON_NAMESPACE = "com.amazon.coral.service";

function errorType(error: unknown, code: string): string {
  if (error instanceof AccessDeniedError) return `${COMMON_NAMESPACE}#AccessDeniedException`;
  if (code === "ValidationException") return "com.amazon.coral.validate#ValidationException";
  if (code === "SerializationException" || code === "UnknownOperationException" || code === "InternalError") {
    return `${COMMON_NAMESPACE}#${code === "InternalError" ? "InternalFailure" : code}`;
  }
  return `${SERVICE_NAMESPACE}#${code}`;
}

export async function handleDynamoDbJson(
  target: string,
  body: Buffer,
  call: DynamoDbCall,
  res: ServerResponse,
): Promise<void> {
  // An item write's commit, run once its answer is written (answered-writes.ts; issue 15).
  const afterAnswer = new AfterAnswer();
  try {
    const action = target.slice(DYNAMODB_TARGET_PREFIX.length);
    const input = parseJsonObject(body);
    const service = call.cloud.dynamodb;
    for (const check of service.resourcesOf(action, input)) call.authorize(check.action, check.resource);
    const output = service.execute(action, input, {
      endpointUrl: call.endpointUrl,
      itemsAsText: true,
      afterAnswer: afterAnswer.register,
    });
    sendAwsJson(res, "1.0", 200, call.requestId, answerJson(output));
  } catch (error) {
    call.reportBug(error);
    const wire = describeError(error, false);
    const extra = error instanceof DynamoDbError ? error.fields : {};
    // DynamoDB answers an IAM denial with HTTP 400, not 403 ("Status Code: 400; Error Code:
    // AccessDeniedException" in AWS SDK reports, e.g. github.com/boostchicken/spring-data-dynamodb/issues/558).
    const status = error instanceof AccessDeniedError ? 400 : wire.status;
    sendAwsJson(
      res,
      "1.0",
      status,
      call.requestId,
      JSON.stringify({ __type: errorType(error, wire.jsonCode), message: wire.message, ...extra }),
    );
  } finally {
    // A failed commit stays in the slot: the next call commits it first, or fails (answered-writes.ts).
    afterAnswer.run((error) => call.reportBug(error));
  }
}
