import type { ServerResponse } from "node:http";
import { AwsError } from "../../../model/errors.ts";
import { S3_ERRORS, S3Error } from "../errors.ts";
import { errorXml } from "./s3-xml.ts";

export interface S3Context {
  readonly region: string;
  readonly requestId: string;
  /** The calling account: the owner of buckets it creates. */
  readonly accountId: string;
  /**
   * The caller's principal id for S3 events (`userIdentity.principalId`, as `AWS:<id>`).
   * @default `AWS:<access key id>` of the request's signature, or `AWS:anonymous` unsigned
   */
  readonly principalId?: string;
  /** @default the socket's remote address */
  readonly sourceIp?: string;
}

type Headers = Record<string, string | number>;

function baseHeaders(context: S3Context): Headers {
  return { "x-amz-request-id": context.requestId, "x-amz-id-2": context.requestId };
}

export function send(
  res: ServerResponse,
  status: number,
  context: S3Context,
  headers: Headers = {},
  body?: string | Buffer,
): void {
  const all: Headers = { ...baseHeaders(context), ...headers };
  if (typeof body === "string") all["content-type"] ??= "application/xml";
  if (body !== undefined && all["content-length"] === undefined)
    all["content-length"] = Buffer.byteLength(body);
  if (body === undefined && all["content-length"] === undefined && status !== 204 && status !== 304)
    all["content-length"] = 0;
  res.writeHead(status, all);
  res.end(body);
}

/** An error as S3 sends it: XML `<Error>` body, or status and headers only for HEAD. */
export function sendError(res: ServerResponse, error: unknown, context: S3Context, head: boolean): void {
  const { status, code, message, details } = describe(error);
  const extra = error instanceof S3Error ? error.headers : {};
  // 304 Not Modified carries no body, as HEAD responses carry none.
  if (head || status === 304) {
    send(res, status, context, { ...(status === 304 ? {} : { "x-amz-error-code": code }), ...extra });
    return;
  }
  send(res, status, context, extra, errorXml(code, message, details, context.requestId));
}

function describe(error: unknown): {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
} {
  if (error instanceof S3Error) {
    return { status: error.statusCode, code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof AwsError) {
    return { status: error.statusCode, code: error.code, message: error.message, details: {} };
  }
  // A bug's message and stack stay in the process: S3's own sentence is all a client gets.
  return { status: 500, code: "InternalError", message: S3_ERRORS.InternalError.message, details: {} };
}
