import assert from "node:assert/strict";
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { eventually } from "../support/poll.ts";
import { tempDir } from "../support/temp.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/reload", import.meta.url));

const handlerSource = (version: number) =>
  `export async function handler(): Promise<{ version: number }> {\n  return { version: ${version} };\n}\n`;

/** A watching dev on a copy of the reload app whose output goes to dev.log in the app folder. */
async function start(t: TestContext): Promise<{ session: DevSession; dir: string; events: DevEvent[] }> {
  const temp = tempDir("sluice-dev-storm-");
  cpSync(FIXTURE, temp.dir, { recursive: true });
  const events: DevEvent[] = [];
  const session = await DevSession.start({
    dir: temp.dir,
    onEvent: (event) => {
      events.push(event);
      // `sluice dev > dev.log` with the log inside the app folder, as the issue ran it.
      appendFileSync(join(temp.dir, "dev.log"), `${event.type}\n`);
    },
  });
  t.after(async () => {
    await session.close();
    temp.cleanup();
  });
  return { session, dir: temp.dir, events };
}

async function version(session: DevSession): Promise<number> {
  const result = await session.localCloud.invoke("version", "{}");
  assert.equal(result.functionError, undefined, result.payload);
  return (JSON.parse(result.payload) as { version: number }).version;
}

const reloads = (events: DevEvent[]) =>
  events.filter((e) => e.type === "reloaded" || e.type === "reload-failed");

/** Resolves once `count` reloads (good or failed) have happened. */
const reloaded = (events: DevEvent[], count: number) =>
  eventually(() => (reloads(events).length >= count ? reloads(events) : undefined), `${count} reload(s)`, {
    intervalMs: 20,
    detail: () => JSON.stringify(reloads(events)),
  });

describe("sluice dev reloads only when a file that matters changes", { timeout: 120_000 }, () => {
  test("a log file written 1,000 times in the app folder while functions run reloads nothing; a handler edit still does", async (t) => {
    const { session, dir, events } = await start(t);
    mkdirSync(join(dir, "data"));
    for (let i = 0; i < 1_000; i++) {
      appendFileSync(join(dir, "app.log"), `line ${i}\n`);
      if (i % 50 === 0) writeFileSync(join(dir, "data", "out.json"), JSON.stringify({ i }));
      if (i % 20 === 0) assert.equal(await version(session), 1);
    }
    // Events for the writes above reach the watcher before this one: had any of them counted,
    // it would show in this reload's files or as a reload of its own.
    writeFileSync(join(dir, "src", "version.ts"), handlerSource(2));
    const [first] = await reloaded(events, 1);
    assert.deepEqual(first, { ...first, type: "reloaded", files: ["src/version.ts"] });
    assert.equal(await version(session), 2);

    // The reload itself wrote to dev.log: a second edit is the next reload, and the only one.
    writeFileSync(join(dir, "src", "version.ts"), handlerSource(3));
    const all = await reloaded(events, 2);
    assert.equal(all.length, 2, JSON.stringify(all));
    assert.deepEqual(all[1], { ...all[1], type: "reloaded", files: ["src/version.ts"] });
    assert.equal(await version(session), 3);
    assert.match(readFileSync(join(dir, "dev.log"), "utf8"), /reloaded/);
  });

  test("dev watches only the folders of the build's inputs; one imported later is watched from its reload on", async (t) => {
    const { session, dir, events } = await start(t);
    // The log in the app's root and the state under .sluice are no folder's recursive watch.
    assert.deepEqual(session.watching, { folders: ["", "src"], recursive: false });

    mkdirSync(join(dir, "src", "lib"));
    writeFileSync(join(dir, "src", "lib", "number.ts"), "export const NUMBER = 5;\n");
    writeFileSync(
      join(dir, "src", "version.ts"),
      'import { NUMBER } from "./lib/number";\nexport async function handler() {\n  return { version: NUMBER };\n}\n',
    );
    const [first] = await reloaded(events, 1);
    assert.deepEqual(first, { ...first, type: "reloaded", files: ["src/version.ts"] });
    assert.equal(await version(session), 5);
    assert.deepEqual(session.watching, { folders: ["", "src", "src/lib"], recursive: false });

    // An edit in the folder watched since that reload reloads, saved as editors do: a temporary
    // file renamed over the input.
    writeFileSync(join(dir, "src", "lib", ".number.ts.tmp"), "export const NUMBER = 6;\n");
    renameSync(join(dir, "src", "lib", ".number.ts.tmp"), join(dir, "src", "lib", "number.ts"));
    const [, second] = await reloaded(events, 2);
    assert.deepEqual(second, { ...second, type: "reloaded", files: ["src/lib/number.ts"] });
    assert.equal(await version(session), 6);

    // Broken by an import of a folder that does not exist yet: the whole tree is watched, so
    // creating it is the fix, and then only the inputs' folders are watched again.
    writeFileSync(
      join(dir, "src", "version.ts"),
      'import { NUMBER } from "../shared/number";\nexport async function handler() {\n  return { version: NUMBER };\n}\n',
    );
    const [, , third] = await reloaded(events, 3);
    assert.equal(third?.type, "reload-failed", JSON.stringify(third));
    assert.deepEqual(session.watching, { folders: [""], recursive: true });
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "shared", "number.ts"), "export const NUMBER = 7;\n");
    const all = await reloaded(events, 4);
    assert.equal(all[3]?.type, "reloaded", JSON.stringify(all[3]));
    assert.equal(await version(session), 7);
    assert.deepEqual(session.watching, { folders: ["", "shared", "src"], recursive: false });
  });

  test("after esbuild's service process is killed, the next edit still reloads", async (t) => {
    const { session, dir, events } = await start(t);
    const services = esbuildServices();
    assert.ok(services.length > 0, "dev runs an esbuild service");
    for (const pid of services) process.kill(pid, "SIGKILL");
    await eventually(
      () => (esbuildServices().some((pid) => services.includes(pid)) ? undefined : true),
      "the service to die",
    );

    writeFileSync(join(dir, "src", "version.ts"), handlerSource(2));
    const [first] = await reloaded(events, 1);
    assert.equal(first?.type, "reloaded", JSON.stringify(first));
    assert.equal(await version(session), 2);

    // And the one after that, on the service started in its place.
    writeFileSync(join(dir, "src", "version.ts"), handlerSource(3));
    const all = await reloaded(events, 2);
    assert.equal(all[1]?.type, "reloaded", JSON.stringify(all[1]));
    assert.equal(await version(session), 3);
  });
});

/** PIDs of this process's child processes that are esbuild services (`esbuild --service=…`). */
function esbuildServices(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes("esbuild") && cmdline.includes("--service=")) pids.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return pids;
}
