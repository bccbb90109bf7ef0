/**
 * Which bucket and key an S3 request names. Path style (`/bucket/key`, what the SDK uses with an
 * IP endpoint or `forcePathStyle: true`) and virtual-hosted style on `localhost` names:
 * `bucket.localhost`, `bucket.s3.localhost` and `bucket.s3.<region>.localhost` (any port).
 */
import type { IncomingMessage } from "node:http";
import { S3Error } from "../errors.ts";

export interface S3Target {
  readonly bucket?: string;
  readonly key?: string;
  readonly query: URLSearchParams;
}

/**
 * Keys are opaque: the request target is split by hand, never through `new URL()`, which would
 * resolve `.` and `..` segments (and turn `\\` into `/`), so `PUT /a/../b/k` is key `../b/k` in
 * bucket `a`. The bucket is always the first segment (or the Host's label) and nothing in the key
 * can change it; the store keeps (bucket, key) as two columns, never as a path.
 */
export function s3Target(req: IncomingMessage): S3Target {
  const { path, search } = splitTarget(req.url ?? "/");
  const query = new URLSearchParams(search);
  const hosted = bucketFromHost(req.headers.host);
  if (hosted !== undefined) {
    const key = path.length > 1 ? decode(path.slice(1)) : undefined;
    return { bucket: hosted, ...(key === undefined ? {} : { key }), query };
  }
  const rest = path.slice(1);
  if (rest === "") return { query };
  const slash = rest.indexOf("/");
  if (slash === -1) return { bucket: decode(rest), query };
  const key = decode(rest.slice(slash + 1));
  return { bucket: decode(rest.slice(0, slash)), ...(key === "" ? {} : { key }), query };
}

/** The raw path and query of a request target (origin-form, or absolute-form as proxies send). */
function splitTarget(target: string): { path: string; search: string } {
  const absolute = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(target);
  const rest = absolute ? target.slice(absolute[0].length) : target;
  const end = rest.indexOf("#");
  const withoutFragment = end === -1 ? rest : rest.slice(0, end);
  const question = withoutFragment.indexOf("?");
  const path = question === -1 ? withoutFragment : withoutFragment.slice(0, question);
  const search = question === -1 ? "" : withoutFragment.slice(question + 1);
  return { path: path.startsWith("/") ? path : `/${path}`, search };
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
