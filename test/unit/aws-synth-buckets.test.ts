// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub text, CloudFormation's syntax, not templates.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { renderDescribeHtml } from "../../src/aws/describe/render-html.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import type { Template, TemplateValue } from "../../src/aws/template/template.ts";
import type { AppSpec, BucketSpec, PermissionSpec } from "../../src/model/app-spec.ts";
import { physicalBucketName } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

/**
 * Issue 16's two buckets, built by hand around a normalised app so these tests pin the template
 * whatever the definition's surface: `content` notifies a function and a queue (the queue also an
 * EventBridge rule's target) and the default bus, with versioning and lifecycle; `site` is a
 * website with CORS.
 */
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";

const CONTENT: BucketSpec = {
  name: "content",
  bucketName: `press-content-${ACCOUNT}-${REGION}`,
  notifications: [
    {
      id: "function-0",
      target: { kind: "function", name: "render" },
      events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
      prefix: "posts/",
      suffix: ".md",
    },
    { id: "queue-1", target: { kind: "queue", name: "deletions" }, events: ["s3:ObjectRemoved:*"] },
  ],
  eventBridge: true,
  versioning: true,
  lifecycle: [{ id: "rule-0", prefix: "tmp/", expirationDays: 1, noncurrentExpirationDays: 30 }],
  cors: [],
};

const SITE: BucketSpec = {
  name: "site",
  bucketName: `press-site-${ACCOUNT}-${REGION}`,
  notifications: [],
  eventBridge: false,
  versioning: false,
  lifecycle: [],
  website: { index: "index.html", error: "404.html" },
  cors: [
    {
      allowedOrigins: ["*"],
      allowedMethods: ["GET"],
      allowedHeaders: [],
      exposeHeaders: ["ETag"],
      maxAgeSeconds: 600,
    },
  ],
};

/** `render` reads `content` and writes pages under `pages/` of `site`, listing it too. */
const RENDER_PERMISSIONS: PermissionSpec[] = [
  { actions: ["s3:GetObject"], resources: ["bucket:content"] },
  { actions: ["s3:PutObject", "s3:DeleteObject", "s3:ListBucket"], resources: ["bucket:site/pages/*"] },
];

function spec(buckets: Record<string, BucketSpec> = { content: CONTENT, site: SITE }): AppSpec {
  const base = normaliseApp(
    {
      name: "press",
      region: REGION,
      queues: { deletions: {} },
      functions: { render: { handler: "src/render.handler" } },
      rules: { audit: { pattern: { source: ["press"] }, targets: [{ queue: "deletions" }] } },
    },
    { accountId: ACCOUNT },
  );
  const render = base.functions.render;
  assert.ok(render);
  return {
    ...base,
    buckets,
    functions: { ...base.functions, render: { ...render, permissions: RENDER_PERMISSIONS } },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: template resources are checked structurally.
function resource(template: Template, id: string): any {
  const found = template.Resources[id];
  assert.ok(found, `no resource ${id}`);
  return found;
}

const CONTENT_NAME = { "Fn::Sub": "press-content-${AWS::AccountId}-${AWS::Region}" };
const CONTENT_ARN = {
  "Fn::Sub": "arn:${AWS::Partition}:s3:::press-content-${AWS::AccountId}-${AWS::Region}",
};
const RENDER_ARN = {
  "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:press-render",
};

describe("synth of S3 buckets", () => {
  test("a bucket is named as dev names it, with the account and region as pseudo parameters", async () => {
    const bucket = resource(await synthesize(spec()), "ContentBucket");
    assert.equal(bucket.Type, "AWS::S3::Bucket");
    assert.deepEqual(bucket.Properties.BucketName, CONTENT_NAME);
  });

  test("versioning, lifecycle, public access block and SSE-S3 encryption are written out", async () => {
    const p = resource(await synthesize(spec()), "ContentBucket").Properties;
    assert.deepEqual(p.VersioningConfiguration, { Status: "Enabled" });
    assert.deepEqual(p.LifecycleConfiguration, {
      Rules: [
        {
          Id: "rule-0",
          Status: "Enabled",
          Prefix: "tmp/",
          ExpirationInDays: 1,
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        },
      ],
    });
    assert.deepEqual(p.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    assert.deepEqual(p.BucketEncryption, {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
    });
  });

  test("notifications name the function and queue by ARN, one configuration per event type, with the key filter", async () => {
    const p = resource(await synthesize(spec()), "ContentBucket").Properties;
    const filter = {
      S3Key: {
        Rules: [
          { Name: "prefix", Value: "posts/" },
          { Name: "suffix", Value: ".md" },
        ],
      },
    };
    assert.deepEqual(p.NotificationConfiguration, {
      EventBridgeConfiguration: { EventBridgeEnabled: true },
      LambdaConfigurations: [
        { Event: "s3:ObjectCreated:*", Function: RENDER_ARN, Filter: filter },
        { Event: "s3:ObjectRemoved:*", Function: RENDER_ARN, Filter: filter },
      ],
      QueueConfigurations: [
        { Event: "s3:ObjectRemoved:*", Queue: { "Fn::GetAtt": ["DeletionsQueue", "Arn"] } },
      ],
    });
  });

  test("S3 may invoke each notified function, from this bucket of this account only", async () => {
    const t = await synthesize(spec());
    const permission = resource(t, "ContentRenderBucketPermission");
    assert.equal(permission.Type, "AWS::Lambda::Permission");
    assert.deepEqual(permission.Properties, {
      Action: "lambda:InvokeFunction",
      FunctionName: RENDER_ARN,
      Principal: "s3.amazonaws.com",
      SourceArn: CONTENT_ARN,
      SourceAccount: { Ref: "AWS::AccountId" },
    });
    assert.deepEqual(permission.DependsOn, ["RenderFunction"]);
    const permissions = Object.values(t.Resources).filter((r) => r.Type === "AWS::Lambda::Permission");
    assert.equal(permissions.length, 1, "one permission per bucket and function, whatever the events");
  });

  test("a queue both a rule and a bucket send to gets one policy with a statement for each", async () => {
    const t = await synthesize(spec());
    const policies = Object.entries(t.Resources).filter(([, r]) => r.Type === "AWS::SQS::QueuePolicy");
    assert.deepEqual(
      policies.map(([id]) => id),
      ["DeletionsEventsQueuePolicy"],
    );
    const statements = resource(t, "DeletionsEventsQueuePolicy").Properties.PolicyDocument.Statement;
    assert.deepEqual(statements[1], {
      Sid: "S3Buckets",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: { "Fn::GetAtt": ["DeletionsQueue", "Arn"] },
      Condition: {
        ArnEquals: { "aws:SourceArn": [CONTENT_ARN] },
        StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
      },
    });
    assert.equal(statements[0].Sid, "EventBridgeRules");
  });

  test("the bucket waits for the permission and the queue policy S3 checks when the notifications are set", async () => {
    const bucket = resource(await synthesize(spec()), "ContentBucket");
    assert.deepEqual(bucket.DependsOn, ["ContentRenderBucketPermission", "DeletionsEventsQueuePolicy"]);
  });

  test("a bucket is deleted with its stack (S3 refuses while it holds objects)", async () => {
    const bucket = resource(await synthesize(spec()), "ContentBucket");
    assert.equal(bucket.DeletionPolicy, "Delete");
    assert.equal(bucket.UpdateReplacePolicy, "Delete");
  });

  test("every bucket refuses requests over plain HTTP", async () => {
    const policy = resource(await synthesize(spec()), "ContentBucketPolicy");
    assert.equal(policy.Type, "AWS::S3::BucketPolicy");
    assert.deepEqual(policy.Properties.Bucket, { Ref: "ContentBucket" });
    assert.deepEqual(policy.Properties.PolicyDocument.Statement, [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [
          CONTENT_ARN,
          { "Fn::Sub": "arn:${AWS::Partition}:s3:::press-content-${AWS::AccountId}-${AWS::Region}/*" },
        ],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  test("a website bucket is public to read, over HTTP as S3's website endpoint serves it, with its CORS rules", async () => {
    const t = await synthesize(spec());
    const p = resource(t, "SiteBucket").Properties;
    assert.deepEqual(p.WebsiteConfiguration, { IndexDocument: "index.html", ErrorDocument: "404.html" });
    assert.deepEqual(p.CorsConfiguration, {
      CorsRules: [{ AllowedOrigins: ["*"], AllowedMethods: ["GET"], ExposedHeaders: ["ETag"], MaxAge: 600 }],
    });
    assert.deepEqual(p.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: false,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: false,
    });
    const objects = { "Fn::Sub": "arn:${AWS::Partition}:s3:::press-site-${AWS::AccountId}-${AWS::Region}/*" };
    const [deny, read] = resource(t, "SiteBucketPolicy").Properties.PolicyDocument.Statement;
    assert.equal(deny.Effect, "Deny");
    assert.equal(deny.NotAction, "s3:GetObject");
    assert.deepEqual(read, {
      Sid: "PublicWebsiteReads",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: objects,
    });
    assert.equal(resource(t, "SiteBucket").DependsOn, undefined);
  });

  test("each bucket's name is an output", async () => {
    const t = await synthesize(spec());
    assert.deepEqual(t.Outputs.ContentBucketName, {
      Description: 'Name of bucket "content"',
      Value: { Ref: "ContentBucket" },
    });
  });

  test("a name cut to S3's 63 characters is the one dev uses, once the pseudo parameters are filled in", async () => {
    const name = "a-bucket-name-long-enough-to-pass-the-limit";
    const long = { ...SITE, name, bucketName: physicalBucketName(spec(), name) };
    const t = await synthesize(spec({ [name]: long }));
    const written = resource(t, "ABucketNameLongEnoughToPassTheLimitBucket").Properties.BucketName;
    const filled = written["Fn::Sub"].replace("${AWS::AccountId}", ACCOUNT).replace("${AWS::Region}", REGION);
    assert.equal(filled, long.bucketName);
    assert.equal(filled.length, 63);
  });

  test("a function's bucket permissions name the bucket for bucket actions and the objects for object actions", async () => {
    const statements = resource(await synthesize(spec()), "RenderRole").Properties.Policies[0].PolicyDocument
      .Statement;
    const declared = statements.filter((st: { Sid: string }) => st.Sid.startsWith("Declared"));
    assert.deepEqual(declared, [
      {
        Sid: "Declared1",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [
          { "Fn::Sub": "arn:${AWS::Partition}:s3:::press-content-${AWS::AccountId}-${AWS::Region}/*" },
        ],
      },
      {
        Sid: "Declared2",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
        Resource: [
          { "Fn::Sub": "arn:${AWS::Partition}:s3:::press-site-${AWS::AccountId}-${AWS::Region}" },
          { "Fn::Sub": "arn:${AWS::Partition}:s3:::press-site-${AWS::AccountId}-${AWS::Region}/pages/*" },
        ],
      },
    ]);
  });

  test("a function finds the buckets it may use through SLUICE_BUCKET_<NAME>_NAME and _ARN, written out", async () => {
    const variables = resource(await synthesize(spec()), "RenderFunction").Properties.Environment.Variables;
    assert.deepEqual(variables.SLUICE_BUCKET_CONTENT_NAME, CONTENT_NAME);
    assert.deepEqual(variables.SLUICE_BUCKET_CONTENT_ARN, CONTENT_ARN);
    assert.deepEqual(variables.SLUICE_BUCKET_SITE_NAME, {
      "Fn::Sub": "press-site-${AWS::AccountId}-${AWS::Region}",
    });
  });

  test("the least-privilege check takes `*` only for listing the account's buckets", async () => {
    const withWildcard = (actions: string[]) => {
      const s = spec();
      const render = s.functions.render;
      assert.ok(render);
      return { ...s, functions: { render: { ...render, permissions: [{ actions, resources: ["*"] }] } } };
    };
    assert.deepEqual(checkTemplatePolicies(await synthesize(withWildcard(["s3:ListAllMyBuckets"]))), []);
    await assert.rejects(
      synthesize(withWildcard(["s3:ListAllMyBuckets", "s3:GetObject"])),
      /resource "\*" for s3:GetObject, which support resource-level permissions/,
    );
  });

  test("the template has no dependency cycle", async () => {
    const t = await synthesize(spec());
    assert.deepEqual(cycles(t), []);
    // The check sees one: a function reading the bucket's name through a Ref would close the loop.
    resource(t, "RenderFunction").Properties.Environment = { Variables: { B: { Ref: "ContentBucket" } } };
    assert.ok(cycles(t).includes("ContentBucket"));
  });

  test("the template is valid against AWS's resource schemas and its policies are least privilege", async () => {
    const t = await synthesize(spec());
    assert.deepEqual(await validateTemplate(t), []);
    assert.deepEqual(checkTemplatePolicies(t), []);
  });

  test("an app without buckets gets no bucket resources", async () => {
    const { buckets: _, ...without } = spec();
    const t = await synthesize(without);
    assert.equal(
      Object.values(t.Resources).some((r) => r.Type.startsWith("AWS::S3::")),
      false,
    );
  });
});

describe("describe draws buckets and their consumers", () => {
  test("a node per bucket, an edge to each notified function and queue and to the default bus", () => {
    const graph = appGraph(spec());
    const nodes = graph.nodes.filter((n) => n.kind === "bucket");
    assert.deepEqual(
      nodes.map((n) => [n.id, n.detail]),
      [
        ["bucket:content", "versioned · 1 lifecycle rule"],
        ["bucket:site", "website"],
      ],
    );
    const edges = graph.edges
      .filter((e) => e.kind === "notifies")
      .map((e) => `${e.from} -> ${e.to}: ${e.label}`);
    assert.deepEqual(edges, [
      "bucket:content -> function:render: ObjectCreated:*, ObjectRemoved:* · posts/*.md",
      "bucket:content -> queue:deletions: ObjectRemoved:*",
      "bucket:content -> bus:default: every object event",
    ]);
    assert.ok(
      graph.nodes.some((n) => n.id === "bus:default"),
      "the default bus gets a node",
    );
  });

  test("the page counts buckets and explains the edge", async () => {
    const html = renderDescribeHtml({ spec: spec(), template: await synthesize(spec()) });
    assert.match(html, /2 buckets/);
    assert.match(html, /notifies of object events \(S3\)/);
  });
});

/** Every resource on a dependency cycle (Ref, Fn::GetAtt, `${X}` in Fn::Sub, DependsOn). */
function cycles(template: Template): string[] {
  const ids = new Set(Object.keys(template.Resources));
  const edges = new Map<string, Set<string>>();
  for (const [id, r] of Object.entries(template.Resources)) {
    const to = new Set<string>();
    const visit = (value: TemplateValue | undefined): void => {
      if (Array.isArray(value)) for (const v of value) visit(v);
      else if (value !== null && typeof value === "object") {
        for (const [key, v] of Object.entries(value)) {
          if (key === "Ref" && typeof v === "string" && ids.has(v)) to.add(v);
          else if (key === "Fn::GetAtt" && Array.isArray(v) && typeof v[0] === "string") to.add(v[0]);
          else if (key === "Fn::Sub" && typeof v === "string") {
            for (const m of v.matchAll(/\$\{([A-Za-z0-9]+)/g)) if (m[1] && ids.has(m[1])) to.add(m[1]);
          } else visit(v);
        }
      }
    };
    visit(r.Properties as TemplateValue);
    for (const d of [r.DependsOn ?? []].flat()) to.add(d as string);
    edges.set(id, to);
  }
  const onCycle: string[] = [];
  for (const start of ids) {
    const seen = new Set<string>();
    const stack = [...(edges.get(start) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (next === start) {
        onCycle.push(start);
        break;
      }
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(edges.get(next) ?? []));
    }
  }
  return onCycle;
}
