/** SQS over AWS JSON 1.0: `X-Amz-Target: AmazonSQS.<Action>`, what @aws-sdk/client-sqs v3 sends. */
import type { ServerResponse } from "node:http";
import { AfterAnswer, parseJsonObject, sendSqsJsonError } from "../../wire/index.ts";
import type { SqsCall } from "./action.ts";
import { sqsAction } from "./action-table.ts";

export const SQS_TARGET_PREFIX = "AmazonSQS.";

export async function handleSqsJson(
  target: string,
  body: Buffer,
  call: SqsCall,
  res: ServerResponse,
): Promise<void> {
  // SendMessage's commit, run once its answer is written (send-intent.ts; issue 14).
  const afterAnswer = new AfterAnswer();
  try {
    const action = sqsAction(target.slice(SQS_TARGET_PREFIX.length));
    // Most actions answer synchronously: awaiting only a promise saves a turn per call (issue 14).
    const pending = action(parseJsonObject(body), call, afterAnswer.register);
    const output = pending instanceof Promise ? await pending : pending;
    const text = JSON.stringify(output);
    res.writeHead(200, {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-requestid": call.requestId,
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  } catch (error) {
    call.reportBug(error);
    sendSqsJsonError(res, error, call.requestId);
  } finally {
    // A failed commit stays in the slot: the next send commits it first, or refuses (message-send.ts).
    afterAnswer.run((error) => call.reportBug(error));
  }
}
