/**
 * The consumers inside a real server: `startServer` (src/serve/server.ts) serving `worker`, built
 * as `sluice build` builds it, against a `sluice dev` endpoint. The batch runs in the server's
 * execution environment, its log line comes out of the server, and the batch is deleted.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { buildApp } from "../../src/bundle/build-app.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import { DevSession } from "../../src/dev/dev-session.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import type { ServerSpec } from "../../src/model/servers.ts";
import { type RunningServer, readServedApp, type ServeLogEntry, startServer } from "../../src/serve/index.ts";
import { ROOT } from "../support/cli-process.ts";
import { clientConfig, SCRIPT_CREDENTIALS } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

const APP = join(ROOT, "test", "fixtures", "apps", "serve-consumers");
const FLEET: ServerSpec = {
  name: "workers",
  functions: ["worker"],
  platform: "ec2",
  instanceType: "t4g.small",
  minSize: 1,
  maxSize: 1,
  port: 0,
  loadBalancer: false,
  schedules: false,
  shutdownSeconds: 30,
};

let app: { dir: string; cleanup(): void };
let session: DevSession;
let server: RunningServer | undefined;
let sqs: SQSClient;
const log: ServeLogEntry[] = [];

before(async () => {
  app = copyApp(APP);
  session = await DevSession.start({ dir: app.dir, watch: false });
  sqs = new SQSClient(clientConfig(session.url));
});
after(async () => {
  await server?.close();
  sqs?.destroy();
  await session?.close();
  app?.cleanup();
});

async function depth(queueUrl: string): Promise<string> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return `${out.Attributes?.ApproximateNumberOfMessages}/${out.Attributes?.ApproximateNumberOfMessagesNotVisible}`;
}

test("a served function consumes its queue: the batch runs on the server and is deleted", async () => {
  const built = await buildApp(await loadApp(app.dir), { outDir: join(app.dir, ".sluice", "serve-test") });
  const served = readServedApp(built.outDir);
  const worker = served.spec.functions.worker;
  assert.ok(worker);
  // `worker` consumes `shape` on the server only: dev runs no mapping for it.
  const spec: AppSpec = {
    ...served.spec,
    functions: {
      ...served.spec.functions,
      worker: {
        ...worker,
        consumes: {
          queue: "shape",
          batchSize: 10,
          maximumBatchingWindowSeconds: 0,
          reportBatchItemFailures: false,
        },
      },
    },
    servers: { workers: FLEET },
  };
  server = await startServer({
    app: { spec, code: served.code },
    fleet: "workers",
    endpointUrl: session.url,
    environment: {
      AWS_ACCESS_KEY_ID: SCRIPT_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SCRIPT_CREDENTIALS.secretAccessKey,
    },
    log: (entry) => log.push(entry),
  });
  const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: "servebg-shape" })))
    .QueueUrl as string;
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: ["one", "two", "three"].map((body, i) => ({ Id: String(i), MessageBody: body })),
    }),
  );
  const worked = await eventually(
    () => {
      const bodies = log
        .filter((e) => e.event === "log" && typeof e.message === "string" && e.message.includes('{"worked":'))
        .flatMap((e) => {
          const text = e.message as string;
          return (JSON.parse(text.slice(text.indexOf('{"worked":')).trim()) as { worked: string[] }).worked;
        });
      return bodies.length === 3 ? bodies : undefined;
    },
    "the three messages worked on the server",
    { detail: () => JSON.stringify(log.slice(-10)) },
  );
  assert.deepEqual([...worked].sort(), ["one", "three", "two"]);
  await eventually(async () => ((await depth(queueUrl)) === "0/0" ? true : undefined), "the batch deleted");
  assert.ok(log.some((e) => e.event === "batch" && e.function === "worker" && e.outcome === "succeeded"));
  // Nothing gathering: the idle long polls are aborted and the server stops at once.
  const started = Date.now();
  const report = await server.close();
  server = undefined;
  assert.ok(Date.now() - started < 10_000, `close took ${Date.now() - started} ms`);
  assert.deepEqual(report, { finished: 0, released: 0, abandoned: 0 });
});
