/**
 * Which bucket and key an S3 request names. Path style (`/bucket/key`, what the SDK uses with an
 * IP endpoint or `forcePathStyle: true`) and virtual-hosted style on `localhost` names:
 * `bucket.localhost`, `bucket.s3.localhost` and `bucket.s3.<region>.localhost` (any port).
 */
import type { IncomingMessage } from "node:http";
import { S3Error } from "./errors.ts";

export interface S3Target {
  readonly bucket?: string;
  readonly key?: string;
  readonly query: URLSearchParams;
}

export function s3Target(req: IncomingMessage): S3Target {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  const hosted = bucketFromHost(req.headers.host);
  if (hosted !== undefined) {
    const key = path.length > 1 ? decode(path.slice(1)) : undefined;
    return { bucket: hosted, ...(key === undefined ? {} : { key }), query: url.searchParams };
  }
  const rest = path.slice(1);
  if (rest === "") return { query: url.searchParams };
  const slash = rest.indexOf("/");
  if (slash === -1) return { bucket: decode(rest), query: url.searchParams };
  const key = decode(rest.slice(slash + 1));
  return { bucket: decode(rest.slice(0, slash)), ...(key === "" ? {} : { key }), query: url.searchParams };
}

/** The bucket a virtual-hosted `Host` header names, or undefined for a path-style request. */
export function bucketFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, "").toLowerCase();
  if (!name.endsWith(".localhost")) return undefined;
  const labels = name.slice(0, -".localhost".length);
  const match = /^(.+?)\.s3(?:\.[a-z0-9-]+)?$/.exec(labels);
  const bucket = match ? match[1] : labels;
  if (bucket === undefined || bucket === "s3" || /^s3\.[a-z0-9-]+$/.test(bucket)) return undefined;
  return bucket;
}

/**
 * True when a request looks like S3's: its SigV4 credential scope names the `s3` service, or it
 * is unsigned and virtual-hosted. Hosts that already parsed the signer's service pass it.
 */
export function isS3Request(req: IncomingMessage, signer?: string): boolean {
  if (signer !== undefined) return signer === "s3";
  const auth = req.headers.authorization ?? "";
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
  if (scope) return scope[1] === "s3";
  const presigned = new URL(req.url ?? "/", "http://localhost").searchParams.get("X-Amz-Credential");
  if (presigned) return presigned.split("/")[3] === "s3";
  return bucketFromHost(req.headers.host) !== undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new S3Error(
      "InvalidArgument",
      {},
      `The request path "${part}" is not valid percent-encoded UTF-8.`,
    );
  }
}
