/**
 * AWS answers a call that carries no credentials, or a malformed SigV4 Authorization, before any
 * service sees it. The endpoint does the same. Here it checks only that a call says who signed
 * it, as every SDK's does; S3 verifies the signatures it can (keys the endpoint issued, and every
 * presigned URL's expiry) in `s3-signature.ts`, as no secret exists for other keys.
 * Codes and statuses: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 * (MissingAuthenticationToken 403, IncompleteSignature 400); wording as STS and Lambda send it.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { AwsRefusal } from "./aws-refusal.ts";

const ALGORITHMS = ["AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"];
const CREDENTIAL = /^[^/\s]+\/\d{8}\/[^/\s]+\/[^/\s]+\/aws4_request$/;
const PRESIGNED = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Signature",
  "X-Amz-Date",
  "X-Amz-SignedHeaders",
];

export const MISSING_AUTHENTICATION_TOKEN: AwsRefusal = {
  status: 403,
  code: "MissingAuthenticationToken",
  jsonCode: "MissingAuthenticationTokenException",
  message: "Request is missing Authentication Token",
  jsonMessage: "Missing Authentication Token",
};

/** Why AWS would refuse the call's credentials outright, or undefined when it says who signed it. */
export function signatureRefusal(
  headers: IncomingHttpHeaders,
  query?: URLSearchParams,
): AwsRefusal | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === "string") return authorizationProblem(authorization, headers);
  if (query && PRESIGNED.some((name) => query.has(name))) {
    if (PRESIGNED.every((name) => query.get(name))) return undefined;
    return incomplete(
      `AWS query-string parameters must include ${PRESIGNED.map((n) => `'${n}'`).join(", ")}. Re-examine the query-string parameters.`,
    );
  }
  return MISSING_AUTHENTICATION_TOKEN;
}

function authorizationProblem(authorization: string, headers: IncomingHttpHeaders): AwsRefusal | undefined {
  const space = authorization.indexOf(" ");
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  // The three fields by name, the last of each kept; read in one pass, as it runs on every call.
  let credential = "";
  let signature = "";
  let signedHeaders = "";
  if (ALGORITHMS.includes(algorithm)) {
    for (const part of authorization.slice(space + 1).split(",")) {
      const eq = part.indexOf("=");
      if (eq <= 0) continue;
      const name = part.slice(0, eq).trim();
      if (name === "Credential") credential = part.slice(eq + 1).trim();
      else if (name === "Signature") signature = part.slice(eq + 1).trim();
      else if (name === "SignedHeaders") signedHeaders = part.slice(eq + 1).trim();
    }
  }
  const dated = headers["x-amz-date"] !== undefined || headers.date !== undefined;
  if (signature && signedHeaders && dated && credential && CREDENTIAL.test(credential)) return undefined;
  const problems: string[] = [];
  if (!credential) problems.push("Authorization header requires 'Credential' parameter.");
  else if (!CREDENTIAL.test(credential))
    problems.push(
      "Credential should be scoped to a valid region, like 'us-east-1'; the form is <access key>/<yyyymmdd>/<region>/<service>/aws4_request.",
    );
  if (!signature) problems.push("Authorization header requires 'Signature' parameter.");
  if (!signedHeaders) problems.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!dated)
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  // AWS echoes the header; only its first characters, so a refusal stays small.
  return incomplete(`${problems.join(" ")} Authorization=${authorization.slice(0, 100)}`);
}

function incomplete(message: string): AwsRefusal {
  return { status: 400, code: "IncompleteSignature", jsonCode: "IncompleteSignatureException", message };
}
