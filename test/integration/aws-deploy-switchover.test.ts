/**
 * `sluice deploy --strategy switchover` through the real CLI against `sluice cloud`: a new stack
 * beside the old, the user's hook, every waiting message moved, the old stack deleted; and a
 * switchover stopped half-way (by a failing hook) that a re-run completes without losing anything.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
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

describe("switchover deploy to the local cloud through the real CLI", () => {
  const cloud = useCloudWithExample(REGION);
  const { at, deploy } = cloud;

  before(async () => {
    const bootstrap = await run(at("bootstrap", "--region", REGION));
    assert.equal(bootstrap.code, 0, bootstrap.stderr);
    const first = await deploy();
    assert.equal(first.code, 0, first.stderr);
  });

  test("switchover deploys a new stack, runs the hook, moves every waiting message, then deletes the old stack", async () => {
    const dlq = (await cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-pages-dlq" })))
      .QueueUrl;
    for (const n of [1, 2, 3]) {
      await cloud.sqs.send(
        new SendMessageCommand({
          QueueUrl: dlq,
          MessageBody: `parked ${n}`,
          MessageAttributes: { n: { DataType: "Number", StringValue: String(n) } },
        }),
      );
    }
    const fifo = (
      await cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-renders-dlq.fifo" }))
    ).QueueUrl;
    await cloud.sqs.send(
      new SendMessageCommand({
        QueueUrl: fifo,
        MessageBody: "fifo parked",
        MessageGroupId: "site-a",
        MessageDeduplicationId: "d-1",
      }),
    );
    const hookOut = join(cloud.dir, "hook-called.json");
    const hookFile = join(cloud.dir, "sluice.switchover.ts");
    // A hook that fails stops the switchover half-way: both stacks up, no message moved.
    writeFileSync(hookFile, 'export default async () => { throw new Error("traffic switch refused"); };\n');
    const stopped = await deploy("--strategy", "switchover");
    assert.equal(stopped.code, 1);
    assert.match(stopped.stderr, /traffic switch refused.*run the deploy again to continue/);
    const both = await run(at("status", cloud.dir, "--region", REGION, "--json"));
    const [halfway] = JSON.parse(both.stdout) as { stacks: { stackName: string }[] }[];
    assert.deepEqual(
      halfway?.stacks.map((st) => st.stackName),
      ["pipeline-dev", "pipeline-dev-g2"],
    );
    // The re-run continues with the same new stack.
    writeFileSync(
      hookFile,
      `import { writeFileSync } from "node:fs";\nexport default async (context: unknown) => { writeFileSync(${JSON.stringify(hookOut)}, JSON.stringify(context)); };\n`,
    );
    const result = await deploy("--strategy", "switchover", "--json");
    assert.equal(result.code, 0, result.stderr);
    const [r] = regionResults(result.stdout);
    assert.equal(r?.stackName, "pipeline-dev-g2");
    assert.deepEqual(r?.switchover?.oldStacks, ["pipeline-dev"]);
    const moved = Object.fromEntries((r?.switchover?.moved ?? []).map((m) => [m.logicalId, m.moved]));
    assert.equal(moved.PagesDlqQueue, 3);
    assert.equal(moved.RendersDlqQueue, 1);
    assert.deepEqual(r?.switchover?.deleted, [{ stackName: "pipeline-dev", status: "DELETE_COMPLETE" }]);
    const hook = JSON.parse(readFileSync(hookOut, "utf8")) as {
      stage: string;
      old: { stackName: string };
      new: { stackName: string; outputs: Record<string, string> };
    };
    assert.deepEqual(
      [hook.stage, hook.old.stackName, hook.new.stackName],
      ["dev", "pipeline-dev", "pipeline-dev-g2"],
    );
    assert.match(hook.new.outputs.PagesQueueUrl ?? "", /pipeline-dev-g2-pages$/);
    // The messages are in the new stack's queues, attributes and FIFO group kept; the old queues are gone.
    const newDlq = (await cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-g2-pages-dlq" })))
      .QueueUrl;
    const got = await cloud.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: newDlq,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
      }),
    );
    assert.deepEqual(got.Messages?.map((m) => [m.Body, m.MessageAttributes?.n?.StringValue]).sort(), [
      ["parked 1", "1"],
      ["parked 2", "2"],
      ["parked 3", "3"],
    ]);
    const newFifo = (
      await cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-g2-renders-dlq.fifo" }))
    ).QueueUrl;
    const fifoGot = await cloud.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: newFifo, MessageSystemAttributeNames: ["MessageGroupId"] }),
    );
    assert.deepEqual(
      fifoGot.Messages?.map((m) => [m.Body, m.Attributes?.MessageGroupId]),
      [["fifo parked", "site-a"]],
    );
    await assert.rejects(
      cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-pages-dlq" })),
      /QueueDoesNotExist|NonExistentQueue/,
    );
    // The next in-place deploy finds the live generation by its tags.
    const next = await deploy();
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stdout, /pipeline-dev-g2: no changes/);
  });

  test("destroy removes the live generation", async () => {
    const result = await run(at("destroy", cloud.dir, "--region", REGION, "--yes"));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /pipeline-dev-g2 \(us-east-1\): DELETE_COMPLETE/);
  });

  test("no output printed the secret access key or the health checker ID", () => {
    const all = transcript.join("\n");
    assert.equal(all.includes(SECRET_ACCESS_KEY), false);
    assert.equal(all.includes(HEALTH_CHECKER_ID), false);
  });
});
