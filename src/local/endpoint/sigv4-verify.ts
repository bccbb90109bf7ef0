/**
 * Signature Version 4, computed as the signer computed it, so a signature can be checked where the
 * endpoint knows the secret (the credentials it issued to each function). The canonical request,
 * the string to sign and the signing key follow "Create a signed AWS API request"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) with S3's rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): the path is
 * taken as sent, encoded once (S3 does not normalise it), and a presigned URL's payload is
 * `UNSIGNED-PAYLOAD` unless it says otherwise.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface SignedRequest {
  readonly method: string;
  /** The request target's path exactly as sent (still percent-encoded). */
  readonly rawPath: string;
  /** The request target's query exactly as sent, without `?`. */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  /** Lower-case names, `;`-separated, as the signature lists them. */
  readonly signedHeaders: string;
  readonly payloadHash: string;
  /** `yyyymmddThhmmssZ`. */
  readonly amzDate: string;
  /** `<date>/<region>/<service>/aws4_request`. */
  readonly scope: string;
  /** A parameter left out of the canonical query (the presigned URL's own signature). */
  readonly omitParameter?: string;
}

export interface Computed {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
}

export function computeSignature(request: SignedRequest, secret: string): Computed {
  const canonicalRequest = [
    request.method,
    request.rawPath === "" ? "/" : request.rawPath,
    canonicalQuery(request.rawQuery, request.omitParameter),
    ...canonicalHeaders(request.headers, request.signedHeaders),
    request.signedHeaders,
    request.payloadHash,
  ].join("\n");
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    request.amzDate,
    request.scope,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  const [date = "", region = "", service = ""] = request.scope.split("/");
  let key = hmac(`AWS4${secret}`, date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, "aws4_request");
  return {
    canonicalRequest,
    stringToSign,
    signature: createHmac("sha256", key).update(stringToSign).digest("hex"),
  };
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** Each name and value decoded then encoded as SigV4 requires, sorted by name, then value. */
function canonicalQuery(rawQuery: string, omit: string | undefined): string {
  if (rawQuery === "") return "";
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    if (name === omit) continue;
    pairs.push([encode(name), encode(eq < 0 ? "" : decode(part.slice(eq + 1)))]);
  }
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

/** One `name:value` line per signed header, then the blank line that ends them. */
function canonicalHeaders(headers: IncomingHttpHeaders, signedHeaders: string): string[] {
  const lines = signedHeaders.split(";").map((name) => {
    // Names come from the wire and Node's headers object has a prototype: `constructor` is no header.
    const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
    const text = Array.isArray(value) ? value.join(",") : (value ?? "");
    return `${name}:${text.trim().replace(/\s+/g, " ")}`;
  });
  return [...lines, ""];
}

/** RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, "%20"));
  } catch {
    return value;
  }
}
