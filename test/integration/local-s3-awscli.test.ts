/**
 * Debian's awscli against the S3 handler: `aws s3api` (REST-XML, botocore's own serialisation and
 * checksums) and `aws s3 cp`/`ls`. Called by its full path, as the other CLI tests do.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { REGION, type S3Server, startS3Server } from "../support/s3-server.ts";

const AWS = "/usr/bin/aws";

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(t: TestContext, server: S3Server) {
  const home = mkdtempSync(join(tmpdir(), "sluice-s3cli-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "not-checked",
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    AWS_PAGER: "",
  };
  const aws = (...args: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      execFile(
        AWS,
        ["--endpoint-url", server.url, "--output", "json", ...args],
        { env },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
        },
      );
    });
  return { aws, home };
}

describe("S3 through Debian's awscli", { concurrency: true }, () => {
  test("s3api creates a bucket, puts, heads, lists, gets and deletes an object", async (t) => {
    assert.ok(existsSync(AWS), `${AWS} is missing: install Debian's awscli (apt-get install -y awscli)`);
    const server = await startS3Server(t);
    const { aws, home } = cli(t, server);
    const made = await aws(
      "s3api",
      "create-bucket",
      "--bucket",
      "cli-bucket",
      "--create-bucket-configuration",
      `LocationConstraint=${REGION}`,
    );
    assert.equal(made.code, 0, made.stderr);
    const file = join(home, "body.txt");
    writeFileSync(file, "from the cli");
    const put = await aws(
      "s3api",
      "put-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "dir/a b.txt",
      "--body",
      file,
      "--metadata",
      "k=v",
    );
    assert.equal(put.code, 0, put.stderr);
    assert.match(JSON.parse(put.stdout).ETag, /^"[0-9a-f]{32}"$/);
    const head = await aws("s3api", "head-object", "--bucket", "cli-bucket", "--key", "dir/a b.txt");
    assert.equal(head.code, 0, head.stderr);
    assert.equal(JSON.parse(head.stdout).ContentLength, 12);
    assert.deepEqual(JSON.parse(head.stdout).Metadata, { k: "v" });
    const list = await aws("s3api", "list-objects-v2", "--bucket", "cli-bucket", "--prefix", "dir/");
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      JSON.parse(list.stdout).Contents.map((c: { Key: string }) => c.Key),
      ["dir/a b.txt"],
    );
    const out = join(home, "out.txt");
    const got = await aws("s3api", "get-object", "--bucket", "cli-bucket", "--key", "dir/a b.txt", out);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(readFileSync(out, "utf8"), "from the cli");
    const missing = await aws("s3api", "get-object", "--bucket", "cli-bucket", "--key", "nope", out);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NoSuchKey/);
    const deleted = await aws("s3api", "delete-object", "--bucket", "cli-bucket", "--key", "dir/a b.txt");
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.throws(() => server.store.headObject("cli-bucket", "dir/a b.txt"), { code: "NoSuchKey" });
  });

  test("s3 cp uploads and downloads a file and s3 ls lists it", async (t) => {
    assert.ok(existsSync(AWS), `${AWS} is missing: install Debian's awscli (apt-get install -y awscli)`);
    const server = await startS3Server(t);
    server.store.createBucket("cp-bucket", REGION, "123456789012");
    const { aws, home } = cli(t, server);
    const file = join(home, "artifact.zip");
    // Above the CLI's 8 MB multipart threshold: two parts.
    const body = Buffer.alloc(9 * 1024 * 1024, 7);
    writeFileSync(file, body);
    const up = await aws("s3", "cp", file, "s3://cp-bucket/artifacts/artifact.zip");
    assert.equal(up.code, 0, up.stderr);
    assert.ok(server.store.getObject("cp-bucket", "artifacts/artifact.zip").body.equals(body));
    const ls = await aws("s3", "ls", "s3://cp-bucket/artifacts/");
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /9437184 artifact\.zip/);
    assert.match(server.store.headObject("cp-bucket", "artifacts/artifact.zip").etag, /-2"$/);
    const back = join(home, "back.zip");
    const down = await aws("s3", "cp", "s3://cp-bucket/artifacts/artifact.zip", back);
    assert.equal(down.code, 0, down.stderr);
    assert.ok(readFileSync(back).equals(body));
    const rm = await aws("s3", "rm", "--recursive", "s3://cp-bucket/artifacts/");
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(server.store.listObjectsV2("cp-bucket").keyCount, 0);
  });

  test("s3api versions objects, copies them and reads bucket subresources", async (t) => {
    assert.ok(existsSync(AWS), `${AWS} is missing: install Debian's awscli (apt-get install -y awscli)`);
    const server = await startS3Server(t);
    server.store.createBucket("ver-bucket", REGION, "123456789012");
    const { aws, home } = cli(t, server);
    const versioning = await aws(
      "s3api",
      "put-bucket-versioning",
      "--bucket",
      "ver-bucket",
      "--versioning-configuration",
      "Status=Enabled",
    );
    assert.equal(versioning.code, 0, versioning.stderr);
    const file = join(home, "v.txt");
    writeFileSync(file, "v1");
    const first = await aws("s3api", "put-object", "--bucket", "ver-bucket", "--key", "k", "--body", file);
    assert.equal(first.code, 0, first.stderr);
    const v1 = (JSON.parse(first.stdout) as { VersionId: string }).VersionId;
    writeFileSync(file, "v2");
    await aws("s3api", "put-object", "--bucket", "ver-bucket", "--key", "k", "--body", file);
    const copy = await aws(
      "s3api",
      "copy-object",
      "--bucket",
      "ver-bucket",
      "--key",
      "old copy",
      "--copy-source",
      `ver-bucket/k?versionId=${v1}`,
    );
    assert.equal(copy.code, 0, copy.stderr);
    assert.equal((JSON.parse(copy.stdout) as { CopySourceVersionId: string }).CopySourceVersionId, v1);
    assert.equal(server.store.getObject("ver-bucket", "old copy").body.toString(), "v1");
    const removed = await aws("s3api", "delete-object", "--bucket", "ver-bucket", "--key", "k");
    assert.equal((JSON.parse(removed.stdout) as { DeleteMarker: boolean }).DeleteMarker, true);
    const listed = await aws("s3api", "list-object-versions", "--bucket", "ver-bucket", "--prefix", "k");
    assert.equal(listed.code, 0, listed.stderr);
    const versions = JSON.parse(listed.stdout) as { Versions: unknown[]; DeleteMarkers: unknown[] };
    assert.equal(versions.Versions.length, 2);
    assert.equal(versions.DeleteMarkers.length, 1);
    const lifecycle = await aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", "ver-bucket");
    assert.notEqual(lifecycle.code, 0);
    assert.match(lifecycle.stderr, /NoSuchLifecycleConfiguration/);
    const put = await aws(
      "s3api",
      "put-bucket-lifecycle-configuration",
      "--bucket",
      "ver-bucket",
      "--lifecycle-configuration",
      '{"Rules":[{"ID":"tmp","Status":"Enabled","Filter":{"Prefix":"tmp/"},"Expiration":{"Days":1}}]}',
    );
    assert.equal(put.code, 0, put.stderr);
    const got = await aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", "ver-bucket");
    assert.equal(got.code, 0, got.stderr);
    assert.equal((JSON.parse(got.stdout) as { Rules: { ID: string }[] }).Rules[0]?.ID, "tmp");
  });
});
