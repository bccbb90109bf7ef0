import type { IncomingMessage } from "node:http";
import { AwsError } from "../../model/errors.ts";

/** Largest request body the endpoint reads: Lambda's 6 MB synchronous payload, with headroom. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The whole request body; an oversized one fails as Lambda fails an oversized invoke (413). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new AwsError(
        "RequestTooLargeException",
        `Request must be smaller than ${limit} bytes; this one is larger.`,
        413,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}
