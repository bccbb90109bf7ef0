import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { readDevState } from "../../src/dev/dev-state-file.ts";
import { type DevProcess, EVENT_TIMEOUT_MS, ROOT, startDev } from "../support/cli-process.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

const GROUPS = 10;
const PER_GROUP = 30;
const GOOD_JOBS = 20;
const POISON_JOBS = 5;

const app = copyApp(join(ROOT, "test", "fixtures", "apps", "crash"));
const log = join(app.dir, "processed.log");
const env = { CRASH_TEST_LOG: log };
let dev: DevProcess | undefined;

after(async () => {
  await dev?.stop("SIGKILL");
  app.cleanup();
});

test("SIGKILL during processing loses no accepted message, keeps FIFO group order, and parks poison in the DLQ", async () => {
  dev = await startDev(app.dir, { env });
  const url = controlUrl();
  const accepted: string[] = [];
  const sends: Promise<void>[] = [];
  for (let i = 0; i < PER_GROUP; i++) {
    for (let g = 0; g < GROUPS; g++) {
      const body = `order-${g}-${String(i).padStart(3, "0")}`;
      // Sends within a group are made in order so the group's order is defined.
      await control(url, "send", {
        queue: "orders",
        body,
        messageGroupId: `g${g}`,
        messageDeduplicationId: body,
      });
      accepted.push(body);
    }
  }
  for (let i = 0; i < GOOD_JOBS; i++)
    sends.push(
      control(url, "send", { queue: "jobs", body: `job-${i}` }).then(() => void accepted.push(`job-${i}`)),
    );
  for (let i = 0; i < POISON_JOBS; i++)
    sends.push(control(url, "send", { queue: "jobs", body: `poison-${i}` }).then(() => undefined));
  await Promise.all(sends);

  await waitFor(() => processedLines().length >= 40, "processing to start");
  const killedAt = processedLines().length;
  await dev.stop("SIGKILL");
  assert.ok(killedAt < accepted.length, "the kill happened while messages were still waiting");

  dev = await startDev(app.dir, { env });
  const restartedUrl = controlUrl();
  // Messages in flight at the kill reappear after their visibility timeout: move the clock on
  // whenever progress stalls (moving it while handlers run would time them out).
  let lastCount = -1;
  let stalledChecks = 0;
  await waitFor(async () => {
    const count = processedLines().length;
    stalledChecks = count === lastCount ? stalledChecks + 1 : 0;
    lastCount = count;
    if (stalledChecks >= 10) {
      stalledChecks = 0;
      await control(restartedUrl, "time/advance", { ms: 11_000 });
    }
    const seen = new Set(processedLines().map((l) => l.split(" ")[1]));
    const queues = (await control(restartedUrl, "queues")) as { name: string; deadLetterDepth?: number }[];
    const parked = queues.find((q) => q.name === "jobs")?.deadLetterDepth ?? 0;
    return accepted.every((body) => seen.has(body)) && parked === POISON_JOBS;
  }, "every accepted message processed and the poison parked");

  const lines = processedLines();
  const seen = new Set(lines.map((l) => l.split(" ")[1]));
  for (const body of accepted) assert.ok(seen.has(body), `${body} was accepted and must be processed`);
  for (let g = 0; g < GROUPS; g++) {
    const firsts: string[] = [];
    for (const line of lines) {
      const [group, body] = line.split(" ");
      if (group === `g${g}` && body && !firsts.includes(body)) firsts.push(body);
    }
    assert.deepEqual(firsts, [...firsts].sort(), `group g${g} was first processed in send order`);
    assert.equal(firsts.length, PER_GROUP);
  }
  assert.ok(!lines.some((l) => l.includes("poison")), "poison never succeeded");
});

function controlUrl(): string {
  const state = readDevState(join(app.dir, ".sluice"));
  assert.ok(state, "dev wrote its state file");
  controlToken = state.token;
  return state.url;
}

/** The control API's token, read with the URL from dev.json (control calls must carry it). */
let controlToken = "";

function processedLines(): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

async function control(url: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/_sluice/${path}`, {
    headers: { authorization: `Bearer ${controlToken}` },
    ...(body === undefined ? {} : { method: "POST", body: JSON.stringify(body) }),
  });
  const data = await response.json();
  assert.equal(response.status, 200, JSON.stringify(data));
  return data;
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await eventually(async () => ((await condition()) ? true : undefined), what, {
    timeoutMs: EVENT_TIMEOUT_MS * 2,
    intervalMs: 50,
    detail: () => `output:\n${dev?.lines.slice(-40).join("\n")}`,
  });
}
