/**
 * The rig of the S3 event notification tests (local-s3-notifications*): a LocalCloud over a
 * definition on a ManualClock, running test/fixtures/apps/s3-events/handlers.mjs, whose S3 is
 * served on a real 127.0.0.1 socket by `handleS3` (as the endpoint serves it), with an SDK client.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { S3Client } from "@aws-sdk/client-s3";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type CloudEvent, LocalCloud } from "../../src/local/local-cloud.ts";
import { handleS3 } from "../../src/local/s3/wire/s3-rest.ts";
import type { ReceivedMessage } from "../../src/local/sqs/types.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { bundleFixture } from "./fixture-bundle.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/s3-events/handlers.mjs", import.meta.url));
const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-checked" };

export interface Bundle {
  readonly file: string;
  cleanup(): void;
}

/** The fixture's handlers bundled as Sluice bundles a function; the SDK resolves from the repo's node_modules. */
export async function bundleS3Handlers(): Promise<Bundle> {
  const { file, cleanup } = await bundleFixture(FIXTURE, "sluice-s3-events-", { nodeModules: true });
  return { file, cleanup };
}

export interface S3EventsRig {
  readonly cloud: LocalCloud;
  readonly clock: ManualClock;
  readonly s3: S3Client;
  readonly url: string;
  readonly events: CloudEvent[];
  /** Closes the server and the cloud (the state folder stays for a reopen). */
  close(): Promise<void>;
}

export async function openS3EventsRig(
  bundle: Bundle,
  definition: Record<string, unknown>,
  stateDir: string,
): Promise<S3EventsRig> {
  const clock = new ManualClock();
  const events: CloudEvent[] = [];
  let requests = 0;
  let cloud: LocalCloud | undefined;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!cloud) return void res.writeHead(503).end();
    await handleS3(cloud.s3, req, res, Buffer.concat(chunks), {
      region: cloud.spec.region,
      requestId: `REQ${(++requests).toString().padStart(12, "0")}`,
      accountId: cloud.spec.accountId,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spec = normaliseApp({ name: "s3ev", ...definition });
  cloud = new LocalCloud({
    spec,
    stateDir,
    clock,
    code: (fn) => ({ file: bundle.file, exportName: fn.handler.export }),
    environment: () => ({
      S3_ENDPOINT: url,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    }),
    onEvent: (event) => events.push(event),
  });
  cloud.start();
  const s3 = new S3Client({
    endpoint: url,
    region: spec.region,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  const opened = cloud;
  return {
    cloud: opened,
    clock,
    s3,
    url,
    events,
    async close() {
      s3.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await opened.close();
    },
  };
}

/** The next message of `queue`, waiting (in real time) until one arrives. */
export async function nextMessage(cloud: LocalCloud, queue: string): Promise<ReceivedMessage> {
  for (;;) {
    const [message] = await cloud.sqs.receiveMessages(queue);
    if (message) {
      cloud.sqs.deleteMessage(queue, message.receiptHandle);
      return message;
    }
    await cloud.sqs.waitForMessages(queue, AbortSignal.timeout(30_000));
  }
}
