/**
 * What S3 refuses of a request's signature before it serves it: a presigned URL whose credential
 * it cannot read, and a request signed two ways at once (InvalidArgument, "Only one auth mechanism
 * allowed"), whatever key they name.
 */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { test } from "node:test";
import { s3SignatureRefusal } from "../../src/local/endpoint/s3-signature.ts";

const NOW = Date.UTC(2026, 11, 6);
const issued = (id: string) => (id === "ISSUED" ? "secret" : undefined);
const request = (url: string, headers: Record<string, string> = {}) =>
  ({ url, method: "PUT", headers: { host: "127.0.0.1:4566", ...headers } }) as unknown as IncomingMessage;
const presigned = (credential: string) =>
  `/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(credential)}&X-Amz-Date=20261206T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${"0".repeat(64)}`;

test("a presigned credential that is not SigV4's five parts is refused, not left unchecked", () => {
  for (const credential of [
    "ISSUED/20261206/us-east-1/s3/aws4_request/x",
    "ISSUED/2026/us-east-1/s3/aws4_request",
  ]) {
    const refusal = s3SignatureRefusal(request(presigned(credential)), { now: NOW, secretOf: issued });
    assert.equal(refusal?.code, "AuthorizationQueryParametersError", credential);
    assert.equal(refusal?.status, 400);
  }
  const forged = s3SignatureRefusal(request(presigned("ISSUED/20261206/us-east-1/s3/aws4_request")), {
    now: NOW,
    secretOf: issued,
  });
  assert.equal(forged?.code, "SignatureDoesNotMatch");
});

test("a request both presigned and signed in a header is refused whichever key either names", () => {
  const authorization = `AWS4-HMAC-SHA256 Credential=MADEUP/20261206/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${"0".repeat(64)}`;
  const refusal = s3SignatureRefusal(
    request(presigned("ISSUED/20261206/us-east-1/s3/aws4_request"), { authorization }),
    { now: NOW, secretOf: issued },
  );
  assert.equal(refusal?.code, "InvalidArgument");
  assert.equal(refusal?.status, 400);
  assert.match(refusal?.message ?? "", /^Only one auth mechanism allowed/);
});
