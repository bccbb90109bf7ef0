/**
 * S3 on `sluice dev`'s endpoint: the cloud's buckets (the definition's, and any a script
 * creates), served by the S3 surface's REST handler after the caller's IAM policy allows the
 * request's action (`s3-actions.ts`), as S3 authorizes before it acts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AwsError } from "../../model/errors.ts";
import type { LocalCloud } from "../local-cloud.ts";
import { errorXml, handleS3, S3Error, s3Target } from "../s3/index.ts";
import { AccessDeniedError, type AwsCall } from "../wire/index.ts";
import { deleteObjectsAuthorization, s3Authorization } from "./s3-actions.ts";
import type { S3Refusal } from "./s3-signature.ts";

/** S3's sentence for an unexpected error; the detail stays in the process. */
const S3_INTERNAL_ERROR = "We encountered an internal error. Please try again.";

export async function serveS3(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  call: AwsCall<LocalCloud>,
): Promise<void> {
  const context = { region: call.region, requestId: call.requestId, accountId: call.spec.accountId };
  try {
    const target = s3Target(req);
    const region = call.spec.region;
    const checks =
      s3Authorization(region, req.method ?? "GET", target, req.headers) ??
      deleteObjectsAuthorization(region, target.bucket ?? "", body);
    for (const check of checks) call.authorize(check.action, check.resource);
  } catch (error) {
    call.reportBug(error);
    sendS3Error(res, error, call.requestId, req.method === "HEAD");
    return;
  }
  await handleS3(call.cloud.s3, req, res, body, context);
}

/** An error as S3 words it: `<Error>` XML, or status and headers only for HEAD. */
export function sendS3Error(res: ServerResponse, error: unknown, requestId: string, head: boolean): void {
  let refusal: S3Refusal = { status: 500, code: "InternalError", message: S3_INTERNAL_ERROR, details: {} };
  if (error instanceof AccessDeniedError) {
    refusal = { status: 403, code: "AccessDenied", message: error.awsMessage(false), details: {} };
  } else if (error instanceof S3Error) {
    refusal = { status: error.statusCode, code: error.code, message: error.message, details: error.details };
  } else if (error instanceof AwsError) {
    refusal = { status: error.statusCode, code: error.code, message: error.message, details: {} };
  }
  sendS3Refusal(res, refusal, requestId, head);
}

export function sendS3Refusal(
  res: ServerResponse,
  refusal: S3Refusal,
  requestId: string,
  head: boolean,
): void {
  const headers = { "x-amz-request-id": requestId, "x-amz-id-2": requestId };
  if (head) {
    res.writeHead(refusal.status, { ...headers, "x-amz-error-code": refusal.code, "content-length": 0 });
    res.end();
    return;
  }
  const xml = errorXml(refusal.code, refusal.message, refusal.details, requestId);
  res.writeHead(refusal.status, {
    ...headers,
    "content-type": "application/xml",
    "content-length": Buffer.byteLength(xml),
  });
  res.end(xml);
}
