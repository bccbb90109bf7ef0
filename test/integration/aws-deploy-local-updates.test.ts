/**
 * Redeploys of the pipeline example to `sluice cloud` through the real CLI: what a change shows
 * (one function's code; a function and a queue setting), a removed queue that holds messages, and a
 * failing update that rolls back. Apart from the first deploy's story (aws-deploy-local.test.ts)
 * so that neither file comes near the test timeout, which covers a whole file, on a busy machine.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import {
  HEALTH_CHECKER_ID,
  regionResults,
  run,
  SECRET_ACCESS_KEY,
  transcript,
  useCloudWithExample,
  useLocalCredentials,
} from "../support/deploy.ts";

useLocalCredentials();
const REGION = "us-east-1";

describe("redeploying the example to the local cloud through the real CLI", () => {
  const cloud = useCloudWithExample(REGION);
  const { at, deploy } = cloud;
  const config = () => join(cloud.dir, "sluice.config.ts");

  test("bootstrap, then a first deploy of the example", async () => {
    const bootstrap = await run(at("bootstrap", "--region", REGION));
    assert.equal(bootstrap.code, 0, bootstrap.stderr);
    const first = await deploy();
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /pipeline-dev \(us-east-1\): deployed \(CREATE_COMPLETE\)/);
  });

  test("changing a function's code shows exactly that function's Code as modified", async () => {
    appendFileSync(join(cloud.dir, "src", "render.ts"), "\n// a change to render only\n");
    const result = await deploy("--json");
    assert.equal(result.code, 0, result.stderr);
    const [r] = regionResults(result.stdout);
    assert.equal(r?.outcome, "deployed");
    assert.deepEqual(
      r?.changes?.modified.map((m) => [m.logicalId, m.properties]),
      [["RenderFunction", ["Code"]]],
    );
    assert.deepEqual([r?.changes?.added, r?.changes?.replaced, r?.changes?.removed], [[], [], []]);
  });

  test("changing a function and a queue setting shows exactly those two", async () => {
    appendFileSync(join(cloud.dir, "src", "publish.ts"), "\n// a change to publish only\n");
    writeFileSync(
      config(),
      readFileSync(config(), "utf8").replace('retention: "14 days"', 'retention: "7 days"'),
    );
    const result = await deploy("--json");
    assert.equal(result.code, 0, result.stderr);
    const [r] = regionResults(result.stdout);
    const modified = (r?.changes?.modified ?? [])
      .map((m) => [m.logicalId, m.properties] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    // ingest and render route with routing functions written in the definition; their bundles
    // hold only their own routes (src/bundle/routes-module.ts), so a queue setting leaves them be.
    assert.deepEqual(modified, [
      ["FailuresQueue", ["MessageRetentionPeriod"]],
      ["PublishFunction", ["Code"]],
    ]);
    assert.deepEqual([r?.changes?.added, r?.changes?.replaced, r?.changes?.removed], [[], [], []]);
  });

  test("removing a queue that holds messages says how many and refuses without a terminal unless --yes", async () => {
    const withExtra = readFileSync(config(), "utf8").replace(
      "  queues: {\n",
      "  queues: {\n    extra: {},\n",
    );
    writeFileSync(config(), withExtra);
    assert.equal((await deploy()).code, 0);
    const url = (await cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-extra" }))).QueueUrl;
    for (const n of [1, 2])
      await cloud.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `kept ${n}` }));
    writeFileSync(config(), withExtra.replace("    extra: {},\n", ""));
    const refused = await deploy();
    assert.equal(refused.code, 1);
    assert.match(
      refused.stdout,
      /- ExtraQueue {2}AWS::SQS::Queue {2}! loses the messages waiting in the queue/,
    );
    assert.match(
      refused.stderr,
      /ExtraQueue AWS::SQS::Queue .*: 2 message\(s\) \(2 waiting, 0 in flight, 0 delayed\)/,
    );
    assert.match(refused.stderr, /run it again with --yes/);
    await cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-extra" })); // still there
    const confirmed = await deploy("--yes");
    assert.equal(confirmed.code, 0, confirmed.stderr);
    assert.match(confirmed.stdout, /ExtraQueue {2}AWS::SQS::Queue {2}DELETE_COMPLETE/);
    await assert.rejects(
      cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-extra" })),
      /QueueDoesNotExist|NonExistentQueue/,
    );
  });

  test("a failing deploy reports the failing resource and its reason, and what the rollback left", async () => {
    const decorators = join(cloud.dir, "sluice.decorators.ts");
    writeFileSync(
      decorators,
      [
        'import { defineDecorators } from "sluice/aws";',
        "export default defineDecorators({",
        "  app: ({ template }) => {",
        '    template.addResource("BrokenQueue", { Type: "AWS::SQS::Queue", Properties: { VisibilityTimeout: 50000 } });',
        "  },",
        "});",
      ].join("\n"),
    );
    const result = await deploy();
    rmSync(decorators);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /deploy failed; the stack is now UPDATE_ROLLBACK_COMPLETE/);
    assert.match(result.stderr, /BrokenQueue AWS::SQS::Queue: CREATE_FAILED — .*VisibilityTimeout/);
    const status = await run(at("status", cloud.dir, "--region", REGION, "--json"));
    const [report] = JSON.parse(status.stdout) as { stacks: { status: string }[] }[];
    assert.equal(report?.stacks[0]?.status, "UPDATE_ROLLBACK_COMPLETE");
  });

  test("no output printed the secret access key or the health checker ID", () => {
    const all = transcript.join("\n");
    assert.ok(all.length > 1000, "the transcript holds the runs above");
    assert.equal(all.includes(SECRET_ACCESS_KEY), false);
    assert.equal(all.includes(HEALTH_CHECKER_ID), false);
  });
});
