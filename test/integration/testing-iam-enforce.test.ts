/**
 * The test kit enforces IAM by default (`iam: "enforce"`, as `sluice dev --iam enforce`): a
 * function's SDK call to a queue its role grants nothing on fails with AccessDenied, as on AWS,
 * and nothing reaches the queue; the queue it is granted still takes its message.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { startApp, type TestApp } from "../../src/testing/index.ts";
import { copyAppWithSdk } from "../support/endpoint.ts";

const FIXTURE = resolve(import.meta.dirname, "..", "fixtures", "apps", "security-iam");

const app = copyAppWithSdk(FIXTURE);
let kit: TestApp;
before(async () => {
  // A second queue that `caller`'s role names nowhere.
  const config = join(app.dir, "sluice.config.ts");
  const text = readFileSync(config, "utf8");
  assert.ok(text.includes("queues: { jobs: {} }"), "the fixture's queues line");
  writeFileSync(config, text.replace("queues: { jobs: {} }", "queues: { jobs: {}, secret: {} }"));
  kit = await startApp(app.dir, { apis: false });
});
after(async () => {
  await kit?.close();
  app.cleanup();
});

test("a function sending to a queue it has no permission for gets AccessDenied, as AWS answers", async () => {
  const denied = await kit.invoke("caller", {
    functionName: "iamscope-echo",
    queueUrl: `${kit.endpoint}/000000000000/iamscope-secret`,
  });
  assert.equal(denied.functionError, undefined, JSON.stringify(denied.payload));
  const { sent, invoked } = denied.payload as {
    sent: Record<string, unknown>;
    invoked: Record<string, unknown>;
  };
  assert.equal(sent.error, "AccessDenied", JSON.stringify(sent));
  assert.equal(sent.status, 403);
  assert.match(String(sent.message), /sqs:SendMessage/);
  assert.ok("ok" in invoked, `the granted invoke of echo went through: ${JSON.stringify(invoked)}`);
  assert.equal(kit.queue("secret").depth, 0, "nothing reached the queue");

  const granted = await kit.invoke("caller", {
    functionName: "iamscope-echo",
    queueUrl: `${kit.endpoint}/000000000000/iamscope-jobs`,
  });
  assert.ok("ok" in (granted.payload as { sent: object }).sent, JSON.stringify(granted.payload));
  assert.equal(kit.queue("jobs").depth, 1);
});
