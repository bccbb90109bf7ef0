/**
 * The IAM action and resource each S3 request is authorized as, per S3's service authorization
 * reference (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { deleteObjectsAuthorization, s3Authorization } from "../../src/local/endpoint/s3-actions.ts";
import { S3Error } from "../../src/local/s3/errors.ts";

const target = (bucket?: string, key?: string, query = "") => ({
  ...(bucket === undefined ? {} : { bucket }),
  ...(key === undefined ? {} : { key }),
  query: new URLSearchParams(query),
});
const check = (method: string, t: ReturnType<typeof target>, headers: Record<string, string> = {}) =>
  s3Authorization("us-east-1", method, t, headers)?.map((a) => `${a.action} ${a.resource}`);

test("object operations act on the object's ARN, with no region or account", () => {
  assert.deepEqual(check("GET", target("b", "k/1.txt")), ["s3:GetObject arn:aws:s3:::b/k/1.txt"]);
  assert.deepEqual(check("HEAD", target("b", "k")), ["s3:GetObject arn:aws:s3:::b/k"]);
  assert.deepEqual(check("GET", target("b", "k", "versionId=v1")), ["s3:GetObjectVersion arn:aws:s3:::b/k"]);
  assert.deepEqual(check("PUT", target("b", "k")), ["s3:PutObject arn:aws:s3:::b/k"]);
  assert.deepEqual(check("POST", target("b", "k", "uploads")), ["s3:PutObject arn:aws:s3:::b/k"]);
  assert.deepEqual(check("PUT", target("b", "k", "partNumber=1&uploadId=u")), [
    "s3:PutObject arn:aws:s3:::b/k",
  ]);
  assert.deepEqual(check("DELETE", target("b", "k")), ["s3:DeleteObject arn:aws:s3:::b/k"]);
  assert.deepEqual(check("DELETE", target("b", "k", "versionId=v")), [
    "s3:DeleteObjectVersion arn:aws:s3:::b/k",
  ]);
  assert.deepEqual(check("DELETE", target("b", "k", "uploadId=u")), [
    "s3:AbortMultipartUpload arn:aws:s3:::b/k",
  ]);
  assert.deepEqual(check("GET", target("b", "k", "uploadId=u")), [
    "s3:ListMultipartUploadParts arn:aws:s3:::b/k",
  ]);
  assert.deepEqual(check("PUT", target("b", "k", "tagging")), ["s3:PutObjectTagging arn:aws:s3:::b/k"]);
});

test("CopyObject also needs GetObject on the source", () => {
  assert.deepEqual(check("PUT", target("b", "copy"), { "x-amz-copy-source": "/src/a%20b.txt?versionId=v" }), [
    "s3:GetObjectVersion arn:aws:s3:::src/a b.txt",
    "s3:PutObject arn:aws:s3:::b/copy",
  ]);
});

test("bucket operations act on the bucket's ARN: listing is ListBucket, HeadBucket too", () => {
  assert.deepEqual(check("GET", target("b", undefined, "list-type=2&prefix=p")), [
    "s3:ListBucket arn:aws:s3:::b",
  ]);
  assert.deepEqual(check("HEAD", target("b")), ["s3:ListBucket arn:aws:s3:::b"]);
  assert.deepEqual(check("PUT", target("b")), ["s3:CreateBucket arn:aws:s3:::b"]);
  assert.deepEqual(check("DELETE", target("b")), ["s3:DeleteBucket arn:aws:s3:::b"]);
  assert.deepEqual(check("GET", target("b", undefined, "versioning")), [
    "s3:GetBucketVersioning arn:aws:s3:::b",
  ]);
  assert.deepEqual(check("PUT", target("b", undefined, "cors")), ["s3:PutBucketCORS arn:aws:s3:::b"]);
  assert.deepEqual(check("DELETE", target("b", undefined, "website")), [
    "s3:DeleteBucketWebsite arn:aws:s3:::b",
  ]);
  assert.deepEqual(check("GET", target("b", undefined, "versions")), [
    "s3:ListBucketVersions arn:aws:s3:::b",
  ]);
  assert.deepEqual(check("GET", target()), ["s3:ListAllMyBuckets *"]);
});

test("DeleteObjects is DeleteObject on each key it names", () => {
  assert.equal(check("POST", target("b", undefined, "delete")), undefined);
  const body = Buffer.from(
    "<Delete><Object><Key>a&amp;b</Key></Object><Object><Key>c/d</Key></Object></Delete>",
  );
  assert.deepEqual(
    deleteObjectsAuthorization("us-east-1", "b", body).map((a) => `${a.action} ${a.resource}`),
    ["s3:DeleteObject arn:aws:s3:::b/a&b", "s3:DeleteObject arn:aws:s3:::b/c/d"],
  );
  // A body DeleteObjects would refuse is refused as S3 words it, not as an internal error.
  const beyond = Buffer.from("<Delete><Object><Key>&#x110000;</Key></Object></Delete>");
  assert.throws(
    () => deleteObjectsAuthorization("us-east-1", "b", beyond),
    (error: unknown) => error instanceof S3Error && error.code === "MalformedXML",
  );
});

test("the partition follows the region", () => {
  assert.deepEqual(
    s3Authorization("cn-north-1", "GET", target("b", "k"), {})?.map((a) => a.resource),
    ["arn:aws-cn:s3:::b/k"],
  );
});
