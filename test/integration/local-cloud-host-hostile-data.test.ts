/**
 * Issue 11, "request data is data", on `sluice cloud`: a region name from a signature is a folder
 * only when AWS has that Region; CloudFormation and Logs answer hostile actions and wrong types
 * with AWS's codes; a deployed Handler naming code outside its package fails init as Lambda's
 * runtime does, and that code never runs.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  ExecuteChangeSetCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
} from "@aws-sdk/client-cloudformation";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CloudHost } from "../../src/local/cloud-host/cloud-host.ts";
import { CREDENTIALS } from "../support/cloud-host.ts";
import { signedHeaders } from "../support/request-signing.ts";

const REGION = "eu-west-1";
const WAIT = { minDelay: 1, maxDelay: 1, maxWaitTime: 60 };

describe("sluice cloud keeps wire data out of paths and answers hostile input as AWS does", () => {
  const root = mkdtempSync(join(tmpdir(), "sluice-security-data-"));
  const stateDir = join(root, ".sluice-cloud");
  let host: CloudHost;

  const call = async (init: {
    region: string;
    service: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    method?: string;
  }) => {
    const res = await fetch(`${host.url}${init.path ?? "/"}`, {
      method: init.method ?? "POST",
      headers: { ...signedHeaders(init.service, init.region), ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await res.text();
    assert.notEqual(res.status, 500, text);
    assert.doesNotMatch(text, /\n\s+at |\.ts:\d+|node:internal/, `stack trace in ${text}`);
    return { status: res.status, headers: res.headers, text };
  };
  const form = { "content-type": "application/x-www-form-urlencoded" };

  before(async () => {
    host = await CloudHost.start({ stateDir });
  });
  after(async () => {
    await host?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("300 made-up regions and path-like names in a signature open no region and write nothing", async () => {
    const before = { root: readdirSync(root).sort(), state: readdirSync(stateDir).sort() };
    const regions = existsSync(join(stateDir, "regions")) ? readdirSync(join(stateDir, "regions")) : [];
    const names = [
      ...Array.from({ length: 300 }, (_, i) => `made-up-${i}`),
      "..",
      ".",
      "us-east-1..",
      "US-EAST-1",
      "us-east-1%2F..",
      "..%2F..",
    ];
    for (const region of names) {
      const sqs = await call({ region, service: "sqs", headers: form, body: "Action=ListQueues" });
      assert.equal(sqs.status, 403, `${region}: ${sqs.text}`);
      assert.match(sqs.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    }
    for (const region of ["..", "made-up-1"]) {
      const json = await call({
        region,
        service: "sqs",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.ListQueues" },
        body: "{}",
      });
      assert.equal(json.status, 403);
      assert.match(json.text, /InvalidSignatureException/);
      const lambda = await call({ region, service: "lambda", method: "GET", path: "/2015-03-31/functions/" });
      assert.equal(lambda.status, 403);
      const s3 = await call({ region, service: "s3", method: "GET", path: "/" });
      assert.equal(s3.status, 400);
      assert.match(s3.text, /<Code>AuthorizationHeaderMalformed<\/Code>/);
      const cfn = await call({
        region,
        service: "cloudformation",
        headers: form,
        body: "Action=DescribeStacks",
      });
      assert.equal(cfn.status, 403);
      const logs = await call({
        region,
        service: "logs",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "Logs_20140328.DescribeLogGroups",
        },
        body: "{}",
      });
      assert.equal(logs.status, 403);
    }
    assert.deepEqual(readdirSync(root).sort(), before.root);
    assert.deepEqual(readdirSync(stateDir).sort(), before.state);
    const after = existsSync(join(stateDir, "regions")) ? readdirSync(join(stateDir, "regions")) : [];
    assert.deepEqual(after, regions);
    assert.throws(() => host.region(".."), { code: "SignatureDoesNotMatch" });
    assert.throws(() => host.region("us-east-1/../.."), { code: "SignatureDoesNotMatch" });
    // A real Region that was never used still answers.
    const real = await call({
      region: "ap-southeast-2",
      service: "sqs",
      headers: form,
      body: "Action=ListQueues",
    });
    assert.equal(real.status, 200, real.text);
  });

  test("CloudFormation: Action=__proto__, constructor or toString is InvalidAction (400)", async () => {
    for (const action of ["__proto__", "constructor", "toString", "hasOwnProperty", "Nope"]) {
      const answer = await call({
        region: REGION,
        service: "cloudformation",
        headers: form,
        body: `Action=${action}&Version=2010-05-15&StackName.__proto__.x=1`,
      });
      assert.equal(answer.status, 400, `${action}: ${answer.text}`);
      assert.match(answer.text, /<Code>InvalidAction<\/Code>/);
    }
    const none = await call({
      region: REGION,
      service: "cloudformation",
      headers: form,
      body: "Version=2010-05-15&X=1",
    });
    assert.notEqual(none.status, 200);
    const keyed = await call({
      region: REGION,
      service: "cloudformation",
      headers: form,
      body: "Action=DescribeStacks&Version=2010-05-15&__proto__.polluted=1&Parameters.member.__proto__.x=1",
    });
    assert.equal(keyed.status, 200, keyed.text);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test("CloudWatch Logs: wrong JSON types and inherited action names get 4xx answers", async () => {
    const logs = (action: string, body: string) =>
      call({
        region: REGION,
        service: "logs",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `Logs_20140328.${action}` },
        body,
      });
    assert.equal((await logs("CreateLogGroup", '{"logGroupName":"g"}')).status, 200);
    assert.equal((await logs("CreateLogStream", '{"logGroupName":"g","logStreamName":"s"}')).status, 200);
    const cases: [string, string][] = [
      ["__proto__", "{}"],
      ["constructor", "{}"],
      ["toString", "{}"],
      ["CreateLogGroup", '{"logGroupName":5}'],
      ["CreateLogGroup", '{"logGroupName":{"__proto__":1}}'],
      ["PutLogEvents", '{"logGroupName":"g","logStreamName":"s","logEvents":"x"}'],
      ["PutLogEvents", '{"logGroupName":"g","logStreamName":"s","logEvents":[5]}'],
      [
        "PutLogEvents",
        '{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":"now","message":"m"}]}',
      ],
      [
        "PutLogEvents",
        '{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1e300,"message":"m"}]}',
      ],
      ["PutLogEvents", '{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1,"message":{}}]}'],
      ["DescribeLogGroups", '{"limit":"ten"}'],
      ["DescribeLogStreams", '{"logGroupName":"g","descending":"yes"}'],
      ["FilterLogEvents", '{"logGroupName":"g","logStreamNames":"s"}'],
      ["GetLogEvents", '{"logGroupName":"g","logStreamName":"s","startFromHead":1}'],
      ["DescribeLogGroups", "[]"],
    ];
    for (const [action, body] of cases) {
      const answer = await logs(action, body);
      assert.equal(answer.status, 400, `${action} ${body}: ${answer.text}`);
    }
  });

  test("a deployed Handler with `..` fails init with Runtime.MalformedHandlerName and loads nothing outside", async () => {
    // Code planted where `../../outside.handler` and `/abs` would reach from the package folder.
    const marker = join(root, "loaded-outside");
    const source = `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(marker)}, "x"); export const handler = () => "outside";\n`;
    writeFileSync(join(stateDir, "outside.mjs"), source);
    writeFileSync(join(root, "abs.mjs"), source);
    const cfn = new CloudFormationClient({ region: REGION, endpoint: host.url, credentials: CREDENTIALS });
    const lambda = new LambdaClient({
      region: REGION,
      endpoint: host.url,
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    const fn = (name: string, handler: string) => ({
      Type: "AWS::Lambda::Function",
      Properties: {
        FunctionName: name,
        Runtime: "nodejs22.x",
        Handler: handler,
        Role: "arn:aws:iam::000000000000:role/escape",
        Code: { ZipFile: "exports.handler = async () => 'inside';" },
      },
    });
    const template = {
      Resources: {
        Dots: fn("escape-dots", "../../outside.handler"),
        Absolute: fn("escape-absolute", `${join(root, "abs")}.handler`),
      },
    };
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: "escape",
        ChangeSetName: "one",
        ChangeSetType: "CREATE",
        TemplateBody: JSON.stringify(template),
      }),
    );
    await waitUntilChangeSetCreateComplete(
      { client: cfn, ...WAIT },
      { StackName: "escape", ChangeSetName: "one" },
    );
    await cfn.send(new ExecuteChangeSetCommand({ StackName: "escape", ChangeSetName: "one" }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "escape" });
    const expected = {
      "escape-dots": "Runtime.MalformedHandlerName",
      "escape-absolute": "Runtime.ImportModuleError",
    };
    for (const [name, errorType] of Object.entries(expected)) {
      const result = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") }));
      assert.equal(result.FunctionError, "Unhandled", name);
      const payload = JSON.parse(Buffer.from(result.Payload ?? []).toString()) as {
        errorType: string;
        errorMessage: string;
      };
      assert.equal(payload.errorType, errorType, `${name}: ${payload.errorMessage}`);
    }
    assert.equal(existsSync(marker), false, "code outside the package ran");
    cfn.destroy();
    lambda.destroy();
  });
});
