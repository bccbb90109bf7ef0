import type { IncomingMessage } from "node:http";
import { AwsError } from "../../model/errors.ts";

/** Largest request body the endpoint reads: Lambda's 6 MB synchronous payload, with headroom. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The whole request body; an oversized one fails as Lambda fails an oversized invoke (413). Read
 * with the stream's own events: an async iterator over the request cost about 6% of the endpoint's
 * time per SendMessage (issue 14). As the iterator did, an oversized body ends the request, and a
 * request closed before its end fails with ERR_STREAM_PREMATURE_CLOSE.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done(
          new AwsError(
            "RequestTooLargeException",
            `Request must be smaller than ${limit} bytes; this one is larger.`,
            413,
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(undefined);
    const onError = (error: Error) => done(error);
    const onClose = () => {
      const error = new Error("Premature close") as Error & { code: string };
      error.code = "ERR_STREAM_PREMATURE_CLOSE";
      done(error);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
    if (req.readableEnded) done(undefined);
  });
}
