import type { IncomingHttpHeaders } from "node:http";

/** Who signed a request, read from its SigV4 credential scope. The signature is not verified here (see s3-signature.ts). */
export interface SignedBy {
  readonly accessKeyId: string;
  readonly region?: string;
  /** The signing name, e.g. `sqs`, `lambda`, `sts`. */
  readonly service?: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/**
 * Reads `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sqs/aws4_request, ...`
 * or a presigned URL's `X-Amz-Credential`. Unsigned requests have no signer.
 */
export function signedBy(headers: IncomingHttpHeaders, query?: URLSearchParams): SignedBy | undefined {
  const authorization = headers.authorization;
  const text =
    typeof authorization === "string"
      ? authorization
      : query?.has("X-Amz-Credential")
        ? `Credential=${query.get("X-Amz-Credential")}`
        : undefined;
  if (text === undefined) return undefined;
  const match = CREDENTIAL.exec(text);
  if (!match) return undefined;
  // Both groups always take part in a match; one literal, as this runs on every call.
  const [, accessKeyId = "", region = "", service = ""] = match;
  return { accessKeyId, region, service };
}
