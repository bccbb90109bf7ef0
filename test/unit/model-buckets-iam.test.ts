import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { functionGrants, functionPolicy } from "../../src/model/iam/function-grants.ts";
import { policyAllows } from "../../src/model/iam/match.ts";
import { permissionWarnings } from "../../src/model/iam/permission-warnings.ts";
import { type NormaliseOptions, normaliseApp } from "../../src/model/normalise.ts";
import { linkedResources, resourceVariables } from "../../src/model/resource-variables.ts";
import { issuesOf, type Obj } from "../support/model-validate.ts";

const CONTENT = "arn:aws:s3:::blog-content-000000000000-us-east-1";
const SITE = "arn:aws:s3:::blog-site-000000000000-us-east-1";

function app(permissions: Obj[], options?: NormaliseOptions) {
  const spec = normaliseApp(
    {
      name: "blog",
      buckets: {
        content: { events: [{ function: "render", on: ["s3:ObjectCreated:*"], suffix: ".md" }] },
        site: {},
      },
      functions: {
        render: { handler: "src/render.handler", permissions },
        notified: { handler: "src/notified.handler" },
      },
    },
    options,
  );
  const fn = spec.functions.render;
  assert.ok(fn);
  return { spec, fn };
}

/** The Resource of the first declared statement. */
function declared(permissions: Obj[], options?: NormaliseOptions): readonly string[] {
  const { spec, fn } = app(permissions, options);
  return functionPolicy(spec, fn).Statement.find((s) => s.Sid === "Declared1")?.Resource ?? [];
}

describe("bucket:<name> grants least privilege", () => {
  test("object actions get the objects' ARN, not the bucket's", () => {
    assert.deepEqual(
      declared([{ actions: ["s3:GetObject", "s3:PutObject"], resources: ["bucket:content"] }]),
      [`${CONTENT}/*`],
    );
  });

  test("bucket actions get the bucket's ARN, not its objects'", () => {
    assert.deepEqual(declared([{ actions: ["s3:ListBucket"], resources: ["bucket:content"] }]), [CONTENT]);
  });

  test("a statement with both gets both; s3:* and s3:Get* too", () => {
    for (const actions of [["s3:ListBucket", "s3:GetObject"], ["s3:*"], ["s3:Get*"], ["*"]]) {
      assert.deepEqual(
        declared([{ actions, resources: ["bucket:content"] }]),
        [CONTENT, `${CONTENT}/*`],
        actions.join(),
      );
    }
  });

  test("bucket:<name>/<prefix>* narrows the objects; a bucket action in the statement keeps the bucket's ARN", () => {
    assert.deepEqual(declared([{ actions: ["s3:GetObject"], resources: ["bucket:site/posts/*"] }]), [
      `${SITE}/posts/*`,
    ]);
    assert.deepEqual(
      declared([{ actions: ["s3:GetObject", "s3:ListBucket"], resources: ["bucket:site/posts/*"] }]),
      [SITE, `${SITE}/posts/*`],
    );
  });

  test("the policy allows the objects under the prefix and nothing else", () => {
    const { spec, fn } = app([{ actions: ["s3:GetObject"], resources: ["bucket:site/posts/*"] }]);
    const policy = functionPolicy(spec, fn);
    assert.equal(policyAllows(policy, "s3:GetObject", `${SITE}/posts/2026/hello.html`), true);
    assert.equal(policyAllows(policy, "s3:GetObject", `${SITE}/index.html`), false);
    assert.equal(policyAllows(policy, "s3:PutObject", `${SITE}/posts/a.html`), false);
    assert.equal(policyAllows(policy, "s3:GetObject", `${CONTENT}/posts/a.md`), false);
  });

  test("ARNs follow the stage, partition and account", () => {
    assert.deepEqual(
      declared([{ actions: ["s3:GetObject"], resources: ["bucket:content"] }], {
        stage: "prod",
        region: "cn-north-1",
        accountId: "123456789012",
      }),
      ["arn:aws-cn:s3:::blog-prod-content-123456789012-cn-north-1/*"],
    );
  });

  test("a function a bucket notifies gets nothing in its own role (S3 invokes it through a resource policy)", () => {
    const { spec } = app([]);
    const notified = spec.functions.render;
    assert.ok(notified);
    assert.deepEqual(
      functionGrants(spec, notified).map((g) => g.sid),
      ["WriteLogs"],
    );
  });
});

describe("bucket discovery", () => {
  test("a bucket the permissions name is linked: SLUICE_BUCKET_<NAME>_NAME and _ARN", () => {
    const { spec, fn } = app([{ actions: ["s3:PutObject"], resources: ["bucket:site/posts/*"] }]);
    assert.deepEqual(linkedResources(spec, fn).buckets, ["site"]);
    assert.deepEqual(
      resourceVariables(spec, fn, () => ""),
      {
        SLUICE_BUCKET_SITE_NAME: "blog-site-000000000000-us-east-1",
        SLUICE_BUCKET_SITE_ARN: SITE,
      },
    );
  });

  test("a bucket that only notifies the function is not linked", () => {
    const { spec, fn } = app([]);
    assert.equal(linkedResources(spec, fn).buckets, undefined);
    assert.deepEqual(
      resourceVariables(spec, fn, () => ""),
      {},
    );
  });
});

describe("S3 actions in permissions", () => {
  const issue = (actions: string[], resources: string[] = ["bucket:content"]) => {
    const issues = issuesOf({
      name: "blog",
      buckets: { content: {} },
      functions: { work: { handler: "src/w.handler", permissions: [{ actions, resources }] } },
    });
    assert.equal(issues.length, 1, issues.map((i) => i.message).join("\n"));
    const [found] = issues;
    assert.ok(found?.message && found.allowed && found.fix);
    return found;
  };

  test("a misspelt S3 action is refused with the action it means", () => {
    const found = issue(["s3:GetObjet"]);
    assert.equal(found.path, "functions.work.permissions[0].actions[0]");
    assert.match(found.fix, /s3:GetObject/);
  });

  test("an API operation is refused with the IAM action that authorizes it", () => {
    assert.match(issue(["s3:HeadObject"]).fix, /"s3:GetObject"/);
    assert.match(issue(["s3:ListObjectsV2"]).fix, /"s3:ListBucket"/);
    assert.match(issue(["s3:DeleteObjects"]).fix, /"s3:DeleteObject"/);
    assert.match(issue(["s3:UploadPart"]).fix, /"s3:PutObject"/);
    assert.match(issue(["s3:CopyObject"]).fix, /"s3:GetObject", "s3:PutObject"/);
  });

  test("IAM's case-insensitive spellings and wildcards are accepted", () => {
    const spec = normaliseApp({
      name: "blog",
      buckets: { content: {} },
      functions: {
        work: {
          handler: "src/w.handler",
          permissions: [
            { actions: ["s3:getobject", "s3:GetBucketCors", "s3:Put*"], resources: ["bucket:content"] },
          ],
        },
      },
    });
    assert.equal(spec.functions.work?.permissions?.[0]?.actions.length, 3);
  });

  test("an unknown bucket is refused with the closest name", () => {
    const found = issue(["s3:GetObject"], ["bucket:contnt/posts/*"]);
    assert.equal(found.path, "functions.work.permissions[0].resources[0]");
    assert.match(found.fix, /bucket:content/);
  });

  test("a bucket named in a statement with no S3 action grants nothing", () => {
    assert.match(issue(["sqs:SendMessage"]).message, /grants nothing/);
  });

  test("an empty key pattern is refused", () => {
    assert.equal(
      issue(["s3:GetObject"], ["bucket:content/"]).path,
      "functions.work.permissions[0].resources[0]",
    );
  });

  test("an ARN of the app's own bucket, or of the local account, is refused for bucket:<name>", () => {
    assert.match(issue(["s3:GetObject"], [`${CONTENT}/*`]).fix, /bucket:content/);
    assert.match(
      issue(["s3:GetObject"], ["arn:aws:s3:::other-000000000000-us-east-1/*"]).message,
      /000000000000/,
    );
  });

  test('a "*" resource for S3 actions suggests one of the app\'s buckets', () => {
    const spec = normaliseApp({
      name: "blog",
      buckets: { content: {} },
      functions: {
        work: { handler: "src/w.handler", permissions: [{ actions: ["s3:GetObject"], resources: ["*"] }] },
      },
    });
    assert.match(permissionWarnings(spec)[0]?.message ?? "", /bucket:content/);
  });
});
