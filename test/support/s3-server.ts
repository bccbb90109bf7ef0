/**
 * An S3Store on a real SQLite file in a temp dir, served by `handleS3` on a real 127.0.0.1
 * server, the way the local endpoint hosts it. Removed when the test ends.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { S3Client } from "@aws-sdk/client-s3";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { handleS3 } from "../../src/local/s3/wire/s3-rest.ts";
import { type Db, openStore } from "../../src/local/store/store.ts";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";

export interface S3Server {
  readonly url: string;
  readonly port: number;
  readonly clock: ManualClock;
  readonly dir: string;
  store: S3Store;
  db: Db;
  /** An SDK client on the server; path style unless told otherwise. */
  client(options?: { forcePathStyle?: boolean; region?: string }): S3Client;
  /** Closes the database and opens the same file again, as after a restart. */
  reopen(): void;
}

export async function startS3Server(t: TestContext, region = REGION): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), "sluice-s3-"));
  const file = join(dir, "state.db");
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  let requests = 0;
  const state = { db: openStore(file), store: undefined as unknown as S3Store };
  state.store = new S3Store(state.db, clock);
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await handleS3(state.store, req, res, Buffer.concat(chunks), {
      region,
      requestId: `REQ${++requests}`,
      accountId: ACCOUNT,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  t.after(async () => {
    for (const c of clients) c.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    state.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    url,
    port,
    clock,
    dir,
    get store() {
      return state.store;
    },
    get db() {
      return state.db;
    },
    client(options = {}) {
      const client = new S3Client({
        region: options.region ?? region,
        endpoint: url,
        forcePathStyle: options.forcePathStyle ?? true,
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    reopen() {
      state.db.close();
      state.db = openStore(file);
      state.store = new S3Store(state.db, clock);
    },
  } as S3Server;
}
