/**
 * DynamoDB Streams over AWS JSON 1.0: `X-Amz-Target: DynamoDBStreams_20120810.<Action>`, what
 * @aws-sdk/client-dynamodb-streams and `aws dynamodbstreams` send. Each call is authorized as
 * `dynamodb:<Action>` on the stream (ListStreams on `*`), as IAM names them.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */
import type { ServerResponse } from "node:http";
import {
  AccessDeniedError,
  type AwsCall,
  describeError,
  parseJsonObject,
  sendAwsJson,
} from "../../../wire/index.ts";
import { decodeIterator } from "../shard-iterator.ts";
import type { StreamsApi } from "../streams-api.ts";

/** What the Streams handler needs of the local cloud. */
export type StreamsCall = AwsCall<{ readonly dynamodbStreams: StreamsApi }>;

export const STREAMS_TARGET_PREFIX = "DynamoDBStreams_20120810.";
const ERROR_NAMESPACE = "com.amazonaws.dynamodb.v20120810#";

export async function handleStreamsJson(
  target: string,
  body: Buffer,
  call: StreamsCall,
  res: ServerResponse,
): Promise<void> {
  try {
    const action = target.slice(STREAMS_TARGET_PREFIX.length);
    const input = parseJsonObject(body);
    call.authorize(`dynamodb:${action}`, resourceOf(action, input));
    const output = call.cloud.dynamodbStreams.execute(action, input);
    sendAwsJson(res, "1.0", 200, call.requestId, JSON.stringify(output));
  } catch (error) {
    call.reportBug(error);
    const wire = describeError(error, false);
    // An IAM denial is DynamoDB's AccessDeniedException, answered with HTTP 400 as DynamoDB does.
    const denied = error instanceof AccessDeniedError;
    const type = denied
      ? "com.amazon.coral.service#AccessDeniedException"
      : `${ERROR_NAMESPACE}${wire.jsonCode}`;
    sendAwsJson(
      res,
      "1.0",
      denied ? 400 : wire.status,
      call.requestId,
      JSON.stringify({ __type: type, message: wire.message }),
    );
  }
}

/** The stream an action touches: named in the input, or inside the shard iterator. */
function resourceOf(action: string, input: Record<string, unknown>): string {
  if (typeof input.StreamArn === "string") return input.StreamArn;
  if (action === "GetRecords" && typeof input.ShardIterator === "string") {
    try {
      return decodeIterator(input.ShardIterator).streamArn;
    } catch {
      return "*";
    }
  }
  return "*";
}
