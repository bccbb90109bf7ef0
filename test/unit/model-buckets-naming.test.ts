import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { bucketNameProblem as wireRule } from "../../src/local/s3/bucket-name.ts";
import { bucketArn, bucketNameStem, objectArn, physicalBucketName } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { sha256Hex } from "../../src/model/sha256.ts";
import { bucketNameProblem } from "../../src/model/validate/bucket-name.ts";

const base = { name: "blog", region: "us-east-1", accountId: "123456789012" };

describe("physical bucket names", () => {
  test("are <app>[-<stage>]-<name>-<account>-<region>, lowercase", () => {
    assert.equal(physicalBucketName(base, "content"), "blog-content-123456789012-us-east-1");
    assert.equal(
      physicalBucketName({ ...base, name: "MyBlog", stage: "Prod" }, "Content"),
      "myblog-prod-content-123456789012-us-east-1",
    );
  });

  test("a name that would pass 63 characters is cut and ends with 8 hex of the uncut stem's SHA-256", () => {
    const spec = { ...base, name: "a-rather-long-application-name", stage: "preview-1234" };
    const name = physicalBucketName(spec, "uploaded-originals");
    const stem = "a-rather-long-application-name-preview-1234-uploaded-originals";
    assert.equal(stem.length + "-123456789012-us-east-1".length, 85);
    assert.equal(name, `${bucketNameStem(spec, "uploaded-originals")}-123456789012-us-east-1`);
    // 40 characters are left for the stem: 31 of it, less the hyphen it ends with, then the digest.
    assert.equal(
      name,
      `a-rather-long-application-name-${sha256Hex(stem).slice(0, 8)}-123456789012-us-east-1`,
    );
    assert.equal(bucketNameProblem(name), undefined);
  });

  test("two long names that share their beginning stay apart", () => {
    const spec = { ...base, name: "a-rather-long-application-name", stage: "preview-1234" };
    assert.notEqual(
      physicalBucketName(spec, "uploaded-originals-a"),
      physicalBucketName(spec, "uploaded-originals-b"),
    );
  });

  test("the cut never leaves two hyphens before the digest", () => {
    // Cut at 31 characters, each of these stems ends with "-" or "--".
    for (const app of ["a-rather-long-application-name", "a-rather-long-application-nam", "a".repeat(30)]) {
      const name = physicalBucketName({ ...base, name: app, stage: "x-y" }, "z".repeat(40));
      assert.doesNotMatch(name.slice(0, -"-123456789012-us-east-1".length), /--|-$/, name);
      assert.ok(name.length <= 63 && bucketNameProblem(name) === undefined, name);
    }
  });

  test("the stem leaves the account out, so a template can write the name with AWS::AccountId", () => {
    const long = { ...base, name: "a-rather-long-application-name", stage: "preview-1234" };
    const other = { ...long, accountId: "999999999999" };
    assert.equal(bucketNameStem(long, "originals-of-uploads"), bucketNameStem(other, "originals-of-uploads"));
    // The region's length sets how much of the stem fits.
    assert.ok(physicalBucketName({ ...long, region: "ap-southeast-5" }, "originals-of-uploads").length <= 63);
  });

  test("normalise writes the physical name into the spec", () => {
    const spec = normaliseApp(
      { name: "blog", buckets: { content: {} }, functions: { a: { handler: "src/a.handler" } } },
      { stage: "dev", region: "eu-west-2" },
    );
    assert.equal(spec.buckets?.content?.bucketName, "blog-dev-content-000000000000-eu-west-2");
  });
});

describe("bucket ARNs", () => {
  const spec = normaliseApp({
    name: "blog",
    buckets: { content: {} },
    functions: { a: { handler: "src/a.handler" } },
  });

  test("name no region and no account", () => {
    assert.equal(bucketArn(spec, "content"), "arn:aws:s3:::blog-content-000000000000-us-east-1");
    assert.equal(
      objectArn(spec, "content", "posts/*"),
      "arn:aws:s3:::blog-content-000000000000-us-east-1/posts/*",
    );
  });

  test("an unknown bucket throws, naming the known ones", () => {
    assert.throws(() => bucketArn(spec, "contnt"), /no bucket named "contnt".*"content"/);
  });
});

describe("S3's bucket naming rule, one for the model and the wire", () => {
  test("the local S3 uses the model's rule", () => {
    assert.equal(wireRule, bucketNameProblem);
  });

  for (const [name, problem] of [
    ["ab", /3 to 63/],
    ["a".repeat(64), /3 to 63/],
    ["My-Bucket", /lowercase/],
    ["-bucket", /begin and end/],
    ["my..bucket", /adjacent periods/],
    ["192.168.5.4", /IP address/],
    ["xn--bucket", /xn--/],
    ["sthree-bucket", /sthree-/],
    ["amzn-s3-demo-bucket", /amzn-s3-demo-/],
    ["bucket-s3alias", /-s3alias/],
    ["bucket--ol-s3", /--ol-s3/],
    ["bucket.mrap", /\.mrap/],
    ["bucket--x-s3", /--x-s3/],
  ] as const) {
    test(`refuses "${name.length > 20 ? `${name.slice(0, 8)}…` : name}"`, () => {
      assert.match(bucketNameProblem(name) ?? "", problem);
    });
  }

  test("accepts S3's own examples", () => {
    for (const name of [
      "docexamplebucket1",
      "log-delivery-march-2020",
      "my-hosted-content",
      "docexamplewebsite.com",
    ]) {
      assert.equal(bucketNameProblem(name), undefined, name);
    }
  });
});

test("sha256Hex agrees with node:crypto, over block boundaries and UTF-8", () => {
  for (const text of ["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "é€😀".repeat(40)]) {
    assert.equal(sha256Hex(text), createHash("sha256").update(text).digest("hex"), `${text.length} chars`);
  }
});
