import type { IncomingMessage } from "node:http";

export type BodyResult = { readonly body: Buffer | undefined } | { readonly tooLarge: true };

/**
 * Reads the request body up to `limit` bytes. A request without a body (no Content-Length, no
 * Transfer-Encoding, or an empty one) has none: the event then carries no body at all.
 */
export function readBody(req: IncomingMessage, limit: number): BodyResult | Promise<BodyResult> {
  // Answered without a promise when nothing needs reading: most requests are GETs. Read from
  // rawHeaders: `req.headers` builds an object of every header on first use.
  let declared: string | undefined;
  let encoded = false;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    // The first Content-Length counts, as in `req.headers`.
    if (name.length === 14) {
      if (declared === undefined && name.toLowerCase() === "content-length") declared = raw[i + 1];
    } else if (name.length === 17 && name.toLowerCase() === "transfer-encoding") encoded = true;
  }
  if (declared === undefined && !encoded) return NO_BODY;
  if (declared !== undefined && Number(declared) > limit) return TOO_LARGE;
  return readChunks(req, limit);
}

const NO_BODY: BodyResult = Object.freeze({ body: undefined });
const TOO_LARGE: BodyResult = Object.freeze({ tooLarge: true as const });

async function readChunks(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return TOO_LARGE;
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return NO_BODY;
  return { body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) };
}
