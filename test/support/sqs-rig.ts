import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import type { QueueService } from "../../src/local/sqs/types.ts";
import { type Db, openStore } from "../../src/local/store/store.ts";
import type { QueueSpec } from "../../src/model/app-spec.ts";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";

export interface Harness {
  readonly sqs: QueueService;
  readonly clock: ManualClock;
  readonly db: Db;
  /** Closes this service and database and opens new ones on the same file, as after a restart. */
  reopen(): Harness;
  /**
   * Opens a new service and database on the same file without closing this service, as after a
   * `kill -9`: only the database connection is closed, so nothing the service would do at close happens.
   */
  crash(): Harness;
  /** The SQLite file. */
  readonly file: string;
}

/** A queue service on a real SQLite file in a temp dir, removed when the test ends. */
export function openHarness(
  t: TestContext,
  queues: readonly QueueSpec[],
  clock = new ManualClock(),
): Harness {
  const dir = mkdtempSync(join(tmpdir(), "sluice-sqs-"));
  const file = join(dir, "app.db");
  let current: Harness | undefined;
  const open = (): Harness => {
    const db = openStore(file);
    const sqs = createQueueService({ db, clock, region: REGION, accountId: ACCOUNT });
    sqs.ensureQueues(queues);
    const harness: Harness = {
      sqs,
      clock,
      db,
      reopen: () => {
        sqs.close();
        db.close();
        current = open();
        return current;
      },
      crash: () => {
        db.close();
        current = open();
        return current;
      },
      file,
    };
    current = harness;
    return harness;
  };
  t.after(() => {
    current?.sqs.close();
    current?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return open();
}

/** Runs `fn` and returns the SqsError-like object it threw, failing when it did not throw. */
export function thrown(fn: () => unknown): {
  code: string;
  queryCode: string;
  statusCode: number;
  message: string;
} {
  try {
    fn();
  } catch (error) {
    return error as { code: string; queryCode: string; statusCode: number; message: string };
  }
  throw new Error("expected the call to throw");
}
