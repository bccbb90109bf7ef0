/**
 * A local cloud serves one region of one account. A resource named in another region or account
 * (by an ARN, a queue URL, or a client signed for another region) does not exist in it, whatever
 * IAM allowed: the service answers with its own not-found error, as AWS would for a resource that
 * is not in the region and account asked (Lambda's ResourceNotFoundException, SQS's
 * QueueDoesNotExist / AWS.SimpleQueueService.NonExistentQueue). Checked after IAM, as AWS
 * evaluates the request before the service looks the resource up.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { parseArn } from "../../model/iam/match.ts";
import { functionNotFound } from "../lambda/index.ts";
import { SqsError, queueDoesNotExist } from "../sqs/index.ts";

export function requireServed(spec: AppSpec, action: string, resource: string): void {
  const arn = parseArn(resource);
  if (!arn || (arn.region === spec.region && arn.account === spec.accountId)) return;
  if (arn.service === "lambda") throw functionNotFound(resource, []);
  if (arn.service !== "sqs") return;
  if (action.toLowerCase() === "sqs:createqueue") {
    // `sluice dev` runs one region; a client signed for another reaches an empty one it cannot grow.
    throw new SqsError(
      "UnsupportedOperation",
      `This endpoint serves the region ${spec.region}; the request was signed for ${arn.region}, which is empty here and takes no new queues. Sign for ${spec.region}.`,
      { region: arn.region },
    );
  }
  throw queueDoesNotExist(arn.resource);
}
