/**
 * SigV4 as the endpoint recomputes it to verify signatures it can check, pinned to the examples
 * S3's documentation signs with its example key (AWSAccessKeyId AKIAIOSFODNN7EXAMPLE):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html (presigned GET)
 * and https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (GET with Range).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeSignature, sameSignature } from "../../src/local/endpoint/sigv4-verify.ts";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

test("a presigned URL's signature is the one S3's documentation computes", () => {
  const query =
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  const computed = computeSignature(
    {
      method: "GET",
      rawPath: "/test.txt",
      rawQuery: query,
      headers: { host: "examplebucket.s3.amazonaws.com" },
      signedHeaders: "host",
      payloadHash: "UNSIGNED-PAYLOAD",
      amzDate: "20130524T000000Z",
      scope: "20130524/us-east-1/s3/aws4_request",
      omitParameter: "X-Amz-Signature",
    },
    SECRET,
  );
  assert.equal(computed.signature, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  assert.ok(
    computed.canonicalRequest.startsWith(
      "GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524",
    ),
  );
});

test("a header-signed request's signature is the one S3's documentation computes", () => {
  const computed = computeSignature(
    {
      method: "GET",
      rawPath: "/test.txt",
      rawQuery: "",
      headers: {
        host: "examplebucket.s3.amazonaws.com",
        range: "bytes=0-9",
        "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "x-amz-date": "20130524T000000Z",
      },
      signedHeaders: "host;range;x-amz-content-sha256;x-amz-date",
      payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      amzDate: "20130524T000000Z",
      scope: "20130524/us-east-1/s3/aws4_request",
    },
    SECRET,
  );
  assert.equal(computed.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
});

test("signatures compare whole, and a different one never matches", () => {
  const a = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  assert.ok(sameSignature(a, a));
  assert.ok(!sameSignature(a, a.replace(/1$/, "2")));
  assert.ok(!sameSignature(a, a.slice(0, 10)));
  assert.ok(!sameSignature(a, ""));
});

test("a signed header name from the wire is read as a header, never as an object property", () => {
  const request = {
    method: "GET",
    rawPath: "/k",
    rawQuery: "",
    headers: { host: "b.localhost" },
    payloadHash: "UNSIGNED-PAYLOAD",
    amzDate: "20130524T000000Z",
    scope: "20130524/us-east-1/s3/aws4_request",
  };
  for (const name of ["constructor", "__proto__", "tostring"]) {
    const computed = computeSignature({ ...request, signedHeaders: `host;${name}` }, SECRET);
    assert.match(computed.canonicalRequest, new RegExp(`\\nhost:b\\.localhost\\n${name}:\\n`));
  }
});
