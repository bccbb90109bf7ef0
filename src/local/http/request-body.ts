import type { IncomingMessage } from "node:http";

export type BodyResult = { readonly body: Buffer | undefined } | { readonly tooLarge: true };

/**
 * Reads the request body up to `limit` bytes. A request without a body (no Content-Length, no
 * Transfer-Encoding, or an empty one) has none: the event then carries no body at all.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = req.headers["content-length"];
  if (declared === undefined && req.headers["transfer-encoding"] === undefined) return { body: undefined };
  if (declared !== undefined && Number(declared) > limit) return { tooLarge: true };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return { tooLarge: true };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { body: undefined };
  return { body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) };
}
