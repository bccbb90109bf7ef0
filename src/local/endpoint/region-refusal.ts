/**
 * A SigV4 credential scope that names no AWS Region is refused before any service sees the call,
 * so a region name from the wire never becomes a folder (`sluice cloud` keeps one per region) and
 * `..` or a made-up name creates nothing. AWS's answers: S3 `AuthorizationHeaderMalformed` (400),
 * every other service `SignatureDoesNotMatch` / `InvalidSignatureException` (403), "Credential
 * should be scoped to a valid region" (https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAwsRegion } from "../../model/regions.ts";
import { errorXml } from "../s3/index.ts";
import { refuseAws } from "./aws-refusal.ts";
import type { SignedBy } from "./sigv4-identity.ts";

/** Answers the call and returns true when its scope names a region AWS does not have. */
export function refusedRegion(
  req: IncomingMessage,
  res: ServerResponse,
  signer: SignedBy | undefined,
): boolean {
  const region = signer?.region;
  if (region === undefined || isAwsRegion(region)) return false;
  if (signer?.service === "s3") {
    const requestId = randomUUID();
    const body = errorXml(
      "AuthorizationHeaderMalformed",
      `The authorization header is malformed; the region '${region}' is wrong; expecting 'us-east-1'`,
      { Region: "us-east-1" },
      requestId,
    );
    res.writeHead(400, {
      "content-type": "application/xml",
      "x-amz-request-id": requestId,
      "content-length": Buffer.byteLength(body),
      connection: "close",
    });
    res.end(body);
    return true;
  }
  const message = `Credential should be scoped to a valid region, not '${region}'. `;
  refuseAws(req, res, {
    status: 403,
    code: "SignatureDoesNotMatch",
    jsonCode: "InvalidSignatureException",
    message,
  });
  return true;
}
