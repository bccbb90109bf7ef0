/**
 * A local cloud serves one region of one account. A resource named in another region or account
 * (by an ARN, a queue URL, or a client signed for another region) does not exist in it, whatever
 * IAM allowed: the service answers with its own not-found error, as AWS would for a resource that
 * is not in the region and account asked (Lambda's ResourceNotFoundException, SQS's
 * QueueDoesNotExist / AWS.SimpleQueueService.NonExistentQueue, DynamoDB's
 * ResourceNotFoundException, Step Functions' StateMachineDoesNotExist / ExecutionDoesNotExist).
 * Checked after IAM, as AWS evaluates the request before the service looks the resource up.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { parseArn } from "../../model/iam/match.ts";
import { arn as formatArn } from "../../model/naming.ts";
import { dynamoDbResourceNotFound } from "../dynamodb/index.ts";
import { functionNotFound } from "../lambda/index.ts";
import { queueDoesNotExist, SqsError } from "../sqs/index.ts";
import { SfnApiError } from "../stepfunctions/index.ts";

export function requireServed(spec: AppSpec, action: string, resource: string): void {
  if (inThisCloud(spec, resource)) return;
  const arn = parseArn(resource);
  if (!arn || (arn.region === spec.region && arn.account === spec.accountId)) return;
  if (arn.service === "lambda") throw functionNotFound(resource, []);
  if (arn.service === "dynamodb") {
    // `sluice dev` runs one region: a table (or its index or stream) elsewhere is not in it.
    throw dynamoDbResourceNotFound(
      `Requested resource not found: ${arn.resource} is in ${arn.region} of account ${arn.account}; this endpoint serves ${spec.region} of ${spec.accountId}`,
    );
  }
  if (arn.service === "states") {
    // Step Functions names machines and executions by ARN: one of another region or account is not here.
    const execution = !arn.resource.startsWith("stateMachine:");
    throw new SfnApiError(
      execution ? "ExecutionDoesNotExist" : "StateMachineDoesNotExist",
      `${execution ? "Execution" : "State Machine"} Does Not Exist: '${resource}' (this endpoint serves ${spec.region} of ${spec.accountId})`,
    );
  }
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

/**
 * `arn:<partition>:<service>:<region>:<account>:<resource>` in the cloud's region and account,
 * read without splitting: every call checks its resource, so splitting it into parts each time
 * would cost every request an array and its strings. False sends the caller to the full parse,
 * which decides the rest.
 */
function inThisCloud(spec: AppSpec, resource: string): boolean {
  if (!resource.startsWith("arn:")) return false;
  // Each `...End` is the index of the colon that closes that part of the ARN.
  const partitionEnd = resource.indexOf(":", 4);
  const serviceEnd = partitionEnd < 0 ? -1 : resource.indexOf(":", partitionEnd + 1);
  if (serviceEnd < 0 || !resource.startsWith(spec.region, serviceEnd + 1)) return false;
  const regionEnd = serviceEnd + 1 + spec.region.length;
  if (resource.charCodeAt(regionEnd) !== 58 /* : */) return false;
  if (!resource.startsWith(spec.accountId, regionEnd + 1)) return false;
  return resource.charCodeAt(regionEnd + 1 + spec.accountId.length) === 58;
}

/**
 * DynamoDB names most resources by table name alone, which the service turns into an ARN in the
 * cloud's region: for a client signed for another region, the same name means a table of that
 * region (AWS scopes tables per region), which this cloud does not have. SQS and Lambda build
 * their ARNs from the signed region themselves.
 */
export function inSignedRegion(spec: AppSpec, resource: string, signedRegion: string | undefined): string {
  // Every call passes here: the common case (signed for the cloud's region) parses nothing.
  if (signedRegion === undefined || signedRegion === spec.region) return resource;
  const arn = parseArn(resource);
  if (arn?.service !== "dynamodb" || arn.region !== spec.region) return resource;
  return formatArn(arn.service, signedRegion, arn.account, arn.resource);
}
