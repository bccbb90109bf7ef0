/**
 * The rig of the asynchronous invocation tests (local-async-invoke-*):
 * the handlers of test/fixtures/apps/async-destinations bundled as Sluice bundles functions, a
 * local cloud over a definition on a ManualClock, and readers for what lands in its queues.
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { AsyncInvokeEvent } from "../../src/local/async-invoke/async-invoke-queue.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalCloud } from "../../src/local/local-cloud.ts";
import type { ReceivedMessage } from "../../src/local/sqs/types.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { bundleFixture } from "./fixture-bundle.ts";
import type { HoldGate } from "./hold-gate.ts";
import { Recorder } from "./recorder.ts";
import { tempDir } from "./temp.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/async-destinations/handlers.mjs", import.meta.url));

export interface Bundle {
  readonly file: string;
  cleanup(): void;
}

export async function bundleAsyncHandlers(): Promise<Bundle> {
  const { file, cleanup } = await bundleFixture(FIXTURE, "sluice-async-handlers-");
  return { file, cleanup };
}

export type TimedEvent = AsyncInvokeEvent & { readonly at: number };

export interface Rig {
  readonly cloud: LocalCloud;
  readonly clock: ManualClock;
  /** Async invoke events, with the clock time each was reported at. */
  readonly events: Recorder<TimedEvent>;
  readonly stateDir: string;
  /** Closes the cloud; removes its state folder unless the rig was opened on a given one. */
  close(): Promise<void>;
}

export interface RigOptions {
  readonly gate?: HoldGate;
  /** Reopen the state of an earlier rig (which then keeps it). @default a new temp folder */
  readonly stateDir?: string;
  readonly clock?: ManualClock;
}

/** A started local cloud for `definition` (app name "events") running the fixture handlers. */
export function openRig(bundle: Bundle, definition: Record<string, unknown>, options: RigOptions = {}): Rig {
  const temp = options.stateDir === undefined ? tempDir("sluice-async-rig-") : undefined;
  const stateDir = options.stateDir ?? temp?.dir ?? "";
  const clock = options.clock ?? new ManualClock();
  const gate = options.gate;
  const events = new Recorder<TimedEvent>();
  const cloud = new LocalCloud({
    spec: normaliseApp({ name: "events", ...definition }),
    stateDir,
    clock,
    code: (fn) => ({ file: bundle.file, exportName: fn.handler.export }),
    ...(gate ? { environment: () => ({ GATE_URL: gate.url }) } : {}),
    onEvent: (event) => {
      if (
        event.type === "retry-scheduled" ||
        event.type === "dropped" ||
        event.type === "destination-failed"
      ) {
        events.push({ ...event, at: clock.now() });
      }
    },
  });
  cloud.start();
  return {
    cloud,
    clock,
    events,
    stateDir,
    close: async () => {
      await cloud.close();
      temp?.cleanup();
    },
  };
}

/** The next message of `queue`, waiting (in real time) until one arrives. */
export async function nextMessage(rig: Rig, queue: string): Promise<ReceivedMessage> {
  for (;;) {
    const [message] = await rig.cloud.sqs.receiveMessages(queue);
    if (message) {
      rig.cloud.sqs.deleteMessage(queue, message.receiptHandle);
      return message;
    }
    await rig.cloud.sqs.waitForMessages(queue, AbortSignal.timeout(20_000));
  }
}

export async function nextJson(rig: Rig, queue: string): Promise<unknown> {
  return JSON.parse((await nextMessage(rig, queue)).body);
}

export const dropped = (events: readonly TimedEvent[]) =>
  events.flatMap((e) => (e.type === "dropped" ? [e] : []));
export const retries = (events: readonly TimedEvent[]) =>
  events.flatMap((e) => (e.type === "retry-scheduled" ? [e] : []));

/**
 * Lambda's invocation record as its documentation shows it (invocation-async-retain-records): the
 * oracle every record the tests receive is checked against.
 */
export const InvocationRecordSchema = z
  .object({
    version: z.literal("1.0"),
    timestamp: z.iso.datetime(),
    requestContext: z
      .object({
        requestId: z.uuid(),
        functionArn: z.string().regex(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+:\$LATEST$/),
        condition: z.enum(["Success", "RetriesExhausted", "EventAgeExceeded"]),
        approximateInvokeCount: z.number().int().min(0),
      })
      .strict(),
    requestPayload: z.unknown(),
    responseContext: z
      .object({
        statusCode: z.number().int(),
        executedVersion: z.literal("$LATEST"),
        functionError: z.literal("Unhandled").optional(),
      })
      .strict(),
    responsePayload: z.unknown(),
  })
  .strict();
