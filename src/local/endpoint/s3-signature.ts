/**
 * What S3 checks of a request's signature before it looks at the request. A presigned URL
 * (query-string SigV4) expires `X-Amz-Expires` seconds after its `X-Amz-Date`, on Sluice's clock,
 * so `sluice time advance` expires it as time does on AWS; S3 answers 403 AccessDenied "Request
 * has expired" with the expiry and the server's time
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html: at most seven
 * days, `LIMITS.s3.presignedUrlExpiry`). Where the endpoint knows the secret (credentials it
 * issued to a function), the signature itself is computed and compared, for presigned URLs and
 * signed headers alike: a URL whose key, method or query was altered answers
 * SignatureDoesNotMatch (403) as S3 does. Other keys (the user's own scripts) cannot be checked:
 * there is no secret to check them against (docs/security.md).
 */
import type { IncomingMessage } from "node:http";
import { isoSeconds } from "../../model/iso-seconds.ts";
import { LIMITS } from "../../model/limits.ts";
import { computeSignature, type SignedRequest, sameSignature } from "./sigv4-verify.ts";

/** An S3 error to answer instead of serving the request. */
export interface S3Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Extra elements of the `<Error>` body, in order. */
  readonly details: Readonly<Record<string, string | number>>;
}

export interface S3SignatureOptions {
  /** Now on Sluice's clock (ms since the epoch). */
  readonly now: number;
  /** The secret of an access key the endpoint issued, or undefined for anyone else's. */
  readonly secretOf?: (accessKeyId: string) => string | undefined;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const CREDENTIAL = /^([^/]+)\/(\d{8}\/[^/]+\/[^/]+\/aws4_request)$/;

/** A presigned URL's `X-Amz-Credential`: its access key id and scope. */
export interface PresignedCredential {
  readonly accessKeyId: string;
  /** `<date>/<region>/<service>/aws4_request`. */
  readonly scope: string;
  readonly service: string;
}

/**
 * The one reading of a presigned URL's credential, for the signature check here and for the
 * cross-origin exception alike: were they to read it differently, a page could pass one with an
 * issued key and slip a made-up signature past the other.
 */
export function presignedCredential(query: URLSearchParams): PresignedCredential | undefined {
  const match = CREDENTIAL.exec(query.get("X-Amz-Credential") ?? "");
  if (!match) return undefined;
  const [, accessKeyId = "", scope = ""] = match;
  return { accessKeyId, scope, service: scope.split("/")[2] ?? "" };
}

/** Why S3 refuses the request's signature, or undefined when it may be served. */
export function s3SignatureRefusal(req: IncomingMessage, options: S3SignatureOptions): S3Refusal | undefined {
  const full = req.url ?? "/";
  // Browsers never send a fragment; cut as the endpoint's URL parser cuts it, so both read one query.
  const hash = full.indexOf("#");
  const target = hash < 0 ? full : full.slice(0, hash);
  const question = target.indexOf("?");
  const rawPath = question < 0 ? target : target.slice(0, question);
  const rawQuery = question < 0 ? "" : target.slice(question + 1);
  const query = new URLSearchParams(rawQuery);
  const presigned = query.has("X-Amz-Signature") || query.has("X-Amz-Algorithm");
  if (typeof req.headers.authorization === "string") {
    if (presigned) return twoMechanisms(req.headers.authorization);
    return headerSignatureRefusal(req, rawPath, rawQuery, req.headers.authorization, options);
  }
  if (!presigned) return undefined;
  return presignedRefusal(req, rawPath, rawQuery, query, options);
}

function presignedRefusal(
  req: IncomingMessage,
  rawPath: string,
  rawQuery: string,
  query: URLSearchParams,
  options: S3SignatureOptions,
): S3Refusal | undefined {
  const amzDate = query.get("X-Amz-Date") ?? "";
  const expiresText = query.get("X-Amz-Expires");
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) {
    return queryParametersError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  }
  const max = LIMITS.s3.presignedUrlExpiry.max;
  if (expiresText === null || !/^\d+$/.test(expiresText)) {
    return queryParametersError("X-Amz-Expires should be a number");
  }
  const expires = Number(expiresText);
  if (expires > max) {
    return queryParametersError(`X-Amz-Expires must be less than a week (in seconds) that is ${max}`);
  }
  const expiresAt = signedAt + expires * 1000;
  if (options.now > expiresAt) {
    return {
      status: 403,
      code: "AccessDenied",
      message: "Request has expired",
      details: {
        "X-Amz-Expires": expiresText,
        Expires: isoSeconds(expiresAt),
        ServerTime: isoSeconds(options.now),
      },
    };
  }
  const credential = presignedCredential(query);
  if (!credential) {
    return queryParametersError(
      `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    );
  }
  const secret = options.secretOf?.(credential.accessKeyId);
  if (secret === undefined) return undefined;
  return mismatch(
    {
      method: req.method ?? "GET",
      rawPath,
      rawQuery,
      headers: req.headers,
      signedHeaders: query.get("X-Amz-SignedHeaders") ?? "host",
      payloadHash: query.get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD",
      amzDate,
      scope: credential.scope,
      omitParameter: "X-Amz-Signature",
    },
    credential.accessKeyId,
    query.get("X-Amz-Signature") ?? "",
    secret,
  );
}

function headerSignatureRefusal(
  req: IncomingMessage,
  rawPath: string,
  rawQuery: string,
  authorization: string,
  options: S3SignatureOptions,
): S3Refusal | undefined {
  if (!options.secretOf) return undefined;
  const fields = new Map<string, string>();
  for (const part of authorization.slice(authorization.indexOf(" ") + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = CREDENTIAL.exec(fields.get("Credential") ?? "");
  const secret = credential && options.secretOf(credential[1] ?? "");
  if (!credential || secret === undefined || secret === null) return undefined;
  const amzDate = req.headers["x-amz-date"];
  const payloadHash = req.headers["x-amz-content-sha256"];
  return mismatch(
    {
      method: req.method ?? "GET",
      rawPath,
      rawQuery,
      headers: req.headers,
      signedHeaders: fields.get("SignedHeaders") ?? "",
      // S3 requires the header on every signed request; its value is the payload's line.
      payloadHash: typeof payloadHash === "string" ? payloadHash : "UNSIGNED-PAYLOAD",
      amzDate: typeof amzDate === "string" ? amzDate : "",
      scope: credential[2] ?? "",
    },
    credential[1] ?? "",
    fields.get("Signature") ?? "",
    secret,
  );
}

function mismatch(
  request: SignedRequest,
  accessKeyId: string,
  provided: string,
  secret: string,
): S3Refusal | undefined {
  const computed = computeSignature(request, secret);
  if (sameSignature(computed.signature, provided)) return undefined;
  return {
    status: 403,
    code: "SignatureDoesNotMatch",
    message:
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    details: {
      AWSAccessKeyId: accessKeyId,
      StringToSign: computed.stringToSign,
      SignatureProvided: provided,
      CanonicalRequest: computed.canonicalRequest,
    },
  };
}

/**
 * A request signed both ways is refused whatever its signatures, as S3 refuses it: otherwise the
 * URL's credential could vouch for the request while the header's (a key no one can check) served it.
 */
function twoMechanisms(authorization: string): S3Refusal {
  return {
    status: 400,
    code: "InvalidArgument",
    message:
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
    details: { ArgumentName: "Authorization", ArgumentValue: authorization.slice(0, 200) },
  };
}

function queryParametersError(message: string): S3Refusal {
  return { status: 400, code: "AuthorizationQueryParametersError", message, details: {} };
}

function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}
