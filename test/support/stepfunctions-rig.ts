/**
 * A LocalCloud for the Step Functions integration tests: a definition on a ManualClock running
 * test/fixtures/apps/stepfunctions/handlers.mjs in real Lambda workers, with SQS, EventBridge,
 * DynamoDB and S3 on the cloud's SQLite file.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type CloudEvent, LocalCloud } from "../../src/local/local-cloud.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { bundleFixture } from "./fixture-bundle.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/stepfunctions/handlers.mjs", import.meta.url));

export interface StepFunctionsRig {
  /** The cloud open now (a new one after `reopen`). */
  readonly cloud: LocalCloud;
  readonly clock: ManualClock;
  readonly events: CloudEvent[];
  /** Closes the cloud and opens another on the same state folder and clock, as a restarted `dev` does. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** Bundles the fixture's handlers and opens a cloud over `definition` (app name `sfn`). */
export async function openStepFunctionsRig(definition: Record<string, unknown>): Promise<StepFunctionsRig> {
  const temp = await bundleFixture(FIXTURE, "sluice-sfn-", { nodeModules: true });
  const { file } = temp;
  const clock = new ManualClock();
  const events: CloudEvent[] = [];
  const spec = normaliseApp({ name: "sfn", ...definition });
  const open = () => {
    const cloud = new LocalCloud({
      spec,
      stateDir: join(temp.dir, "state"),
      clock,
      code: (fn) => ({ file, exportName: fn.handler.export }),
      onEvent: (event) => events.push(event),
    });
    cloud.start();
    return cloud;
  };
  let cloud = open();
  return {
    get cloud() {
      return cloud;
    },
    clock,
    events,
    async reopen() {
      await cloud.close();
      cloud = open();
    },
    async close() {
      await cloud.close();
      temp.cleanup();
    },
  };
}
