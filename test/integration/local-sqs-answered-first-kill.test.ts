/**
 * SendMessage over the wire is answered before its row is committed (send-intent.ts): a `sluice
 * dev` killed with SIGKILL while clients send loses no message it answered for, and stores none
 * twice. Each round kills mid-stream, wherever the sends are; a kill inside the ~50 µs between an
 * answer and its commit is a matter of chance here, so that window and the one after the commit
 * are pinned deterministically in test/unit/local-sqs-answered-first.test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type DevProcess, ROOT, startDev } from "../support/cli-process.ts";
import { clientConfig } from "../support/endpoint.ts";
import { copyApp } from "../support/temp.ts";

const ROUNDS = 3;
const CLIENTS = 4;
/** Answers a round waits for before it kills the process. */
const ANSWERS_BEFORE_KILL = 150;

const app = copyApp(join(ROOT, "test", "fixtures", "apps", "endpoint"));
let dev: DevProcess | undefined;

after(async () => {
  await dev?.stop("SIGKILL");
  app.cleanup();
});

async function endpointOf(process: DevProcess): Promise<string> {
  const line = await process.waitForLine(/AWS endpoint\s+http/);
  return /(http:\/\/\S+)/.exec(line)?.[1] ?? "";
}

test("SIGKILL while clients send loses no answered SendMessage and stores none twice", async () => {
  const answered = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    dev = await startDev(app.dir);
    const url = await endpointOf(dev);
    const queueUrl = `${url}/000000000000/endpoint-jobs`;
    const clients = Array.from({ length: CLIENTS }, () => new SQSClient(clientConfig(url)));
    let roundAnswers = 0;
    let killed = false;
    const process = dev;
    const senders = clients.map(async (sqs, c) => {
      for (let i = 0; !killed; i++) {
        try {
          const sent = await sqs.send(
            new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `round ${round} client ${c} #${i}` }),
          );
          if (sent.MessageId) answered.add(sent.MessageId);
          roundAnswers += 1;
          if (roundAnswers === ANSWERS_BEFORE_KILL) {
            killed = true;
            await process.stop("SIGKILL");
          }
        } catch {
          // The process died under this call: it was not answered.
          return;
        }
      }
    });
    await Promise.all(senders);
    for (const sqs of clients) sqs.destroy();
    assert.ok(roundAnswers >= ANSWERS_BEFORE_KILL, `round ${round}: ${roundAnswers} answers`);
  }

  dev = await startDev(app.dir);
  const url = await endpointOf(dev);
  const sqs = new SQSClient(clientConfig(url));
  const received: string[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: `${url}/000000000000/endpoint-jobs`,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 600,
      }),
    );
    if (!Messages || Messages.length === 0) break;
    for (const m of Messages) received.push(m.MessageId ?? "");
  }
  sqs.destroy();
  const stored = new Set(received);
  assert.equal(stored.size, received.length, "a message stored twice");
  const lost = [...answered].filter((id) => !stored.has(id));
  assert.deepEqual(lost, [], `${lost.length} of ${answered.size} answered messages lost`);
});
