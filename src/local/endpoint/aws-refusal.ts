/**
 * Refusals the endpoint's front door answers before any service sees a call (unsigned, foreign
 * Host, cross-site), shaped as the protocol the request speaks, as AWS's front ends do: JSON
 * protocols (`X-Amz-Target`) a coral `__type`, Lambda's REST paths `x-amzn-ErrorType`, S3 (a
 * `<bucket>.localhost` Host, or a URL presigned for `s3`) its `<Error>` XML, everything else the
 * query protocol's XML `ErrorResponse`. The connection closes: a refused body is not read.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LAMBDA_PREFIX } from "../lambda/index.ts";
import { bucketFromHost, errorXml } from "../s3/index.ts";
import { element, text } from "../wire/index.ts";

export interface AwsRefusal {
  readonly status: number;
  /** The query protocol's code, e.g. `MissingAuthenticationToken`. */
  readonly code: string;
  /** The JSON protocols' code, e.g. `MissingAuthenticationTokenException`. */
  readonly jsonCode: string;
  readonly message: string;
  /** The message where the JSON protocols word it differently. @default message */
  readonly jsonMessage?: string;
}

const STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";
const SQS_XMLNS = "http://queue.amazonaws.com/doc/2012-11-05/";

export function refuseAws(req: IncomingMessage, res: ServerResponse, refusal: AwsRefusal): void {
  const requestId = randomUUID();
  const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
  const jsonMessage = refusal.jsonMessage ?? refusal.message;
  let contentType = "application/json";
  let body: string;
  const headers: Record<string, string> = { "x-amzn-requestid": requestId, connection: "close" };
  if (req.headers["x-amz-target"] !== undefined) {
    contentType = "application/x-amz-json-1.0";
    body = JSON.stringify({ __type: `com.amazon.coral.service#${refusal.jsonCode}`, message: jsonMessage });
  } else if (path.startsWith(LAMBDA_PREFIX)) {
    headers["x-amzn-errortype"] = refusal.jsonCode;
    body = JSON.stringify({ message: jsonMessage });
  } else if (looksLikeS3(req)) {
    contentType = "application/xml";
    // S3 answers an anonymous request to a bucket that is not public with plain AccessDenied.
    const anonymous = refusal.code === "MissingAuthenticationToken";
    body = errorXml(
      anonymous ? "AccessDenied" : refusal.code,
      anonymous ? "Access Denied" : refusal.message,
      {},
      requestId,
    );
    headers["x-amz-request-id"] = requestId;
  } else {
    contentType = "text/xml";
    const xmlns = (req.url ?? "").includes("Version=2011-06-15") ? STS_XMLNS : SQS_XMLNS;
    const inner = text("Type", "Sender") + text("Code", refusal.code) + text("Message", refusal.message);
    body = `<?xml version="1.0"?><ErrorResponse xmlns="${xmlns}">${element("Error", inner)}${text("RequestId", requestId)}</ErrorResponse>`;
  }
  res.writeHead(refusal.status, {
    ...headers,
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** A request S3 would answer: virtual-hosted on a bucket, or presigned with an `s3` scope. */
function looksLikeS3(req: IncomingMessage): boolean {
  if (bucketFromHost(req.headers.host) !== undefined) return true;
  return /[?&]X-Amz-Credential=[^&]*%2Fs3%2Faws4_request/i.test(req.url ?? "");
}
