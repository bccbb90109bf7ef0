/**
 * The one exception to the endpoint's refusal of cross-site browser requests: S3 object URLs a
 * page is meant to use. S3 answers a CORS preflight from the bucket's CORS rules, and a page may
 * then send the request itself, but only when it is presigned with credentials the endpoint issued
 * (a function's), so its signature and expiry were verified, and the bucket's rules allow the
 * page's origin and method. Everything else a page sends stays refused: an unverifiable signature
 * (any key a page could make up) would make it the account's administrator (docs/security.md).
 * Preflights: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LocalCloud } from "../local-cloud.ts";
import {
  corsPreflight,
  corsResponseHeaders,
  requestedHeaders,
  type S3Target,
  s3Target,
} from "../s3/index.ts";
import { sendS3Error } from "./s3-calls.ts";
import { presignedCredential } from "./s3-signature.ts";

/** `answered`: the response is sent; `allowed`: serve it (CORS headers are set); else refuse it. */
export type CrossOriginVerdict = "answered" | "allowed" | undefined;
export type CrossOrigin = (req: IncomingMessage, res: ServerResponse) => CrossOriginVerdict;

export interface S3CrossOriginOptions {
  readonly cloud: () => LocalCloud | undefined;
  /** The secret of credentials the endpoint issued; only their presigned URLs may cross origins. */
  readonly secretOf: (accessKeyId: string) => string | undefined;
}

export function s3CrossOrigin(options: S3CrossOriginOptions): CrossOrigin {
  return (req, res) => {
    const target = targetOf(req);
    const bucket = target?.bucket === undefined ? undefined : options.cloud()?.s3.bucket(target.bucket);
    if (!target || !bucket) return undefined;
    const origin = req.headers.origin;
    const asked = req.headers["access-control-request-method"];
    if (req.method === "OPTIONS" && asked !== undefined) {
      try {
        const headers = corsPreflight(
          bucket.configuration,
          {
            origin,
            method: asked,
            requestHeaders: requestedHeaders(req.headers["access-control-request-headers"]),
          },
          target.key === undefined ? "BUCKET" : "OBJECT",
        );
        res.writeHead(200, { ...headers, "content-length": 0 });
        res.end();
      } catch (error) {
        sendS3Error(res, error, randomUUID(), false);
      }
      return "answered";
    }
    if (req.headers.authorization !== undefined) return undefined;
    if (!presignedByIssuedKey(target.query, options.secretOf)) return undefined;
    // A link followed or an <img> loaded from another site carries no Origin: the page cannot read
    // the answer, and the URL is the authority its function gave out, as on AWS.
    if (origin === undefined) return req.method === "GET" || req.method === "HEAD" ? "allowed" : undefined;
    const headers = corsResponseHeaders(bucket.configuration, { origin, method: req.method });
    if (Object.keys(headers).length === 0) return undefined;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    return "allowed";
  };
}

function targetOf(req: IncomingMessage): S3Target | undefined {
  try {
    return s3Target(req);
  } catch {
    return undefined;
  }
}

function presignedByIssuedKey(
  query: URLSearchParams,
  secretOf: (accessKeyId: string) => string | undefined,
): boolean {
  if (!query.has("X-Amz-Signature")) return false;
  // Read as the signature check reads it (s3-signature.ts), which then verifies this very key.
  const credential = presignedCredential(query);
  return credential?.service === "s3" && secretOf(credential.accessKeyId) !== undefined;
}
