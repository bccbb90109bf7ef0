import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { bundleFunctions } from "../bundle/bundle-functions.ts";
import { loadApp } from "../bundle/load-app.ts";
import { runningDevPid } from "../dev/dev-lock.ts";
import { regionStateDir } from "../dev/dev-regions.ts";
import { readDevState } from "../dev/dev-state-file.ts";
import { durableClock } from "../local/clock/index.ts";
import { isAlive, remoteOperations } from "../local/control/index.ts";
import { LocalCloud } from "../local/local-cloud.ts";
import { directOperations, type Operations } from "../local/operations.ts";
import { SluiceError } from "../model/errors.ts";
import { appRegions } from "../model/failover.ts";
import { normaliseApp } from "../model/normalise.ts";

/** The CLI's way to an app's local cloud (a WebSocket client is local/websocket/connection.ts). */
export interface AppConnection {
  readonly ops: Operations;
  /** `dev` when a running dev answered, `one-shot` when this process opened the app itself. */
  readonly mode: "dev" | "one-shot";
  close(): Promise<void>;
}

/**
 * Reaches the app's local cloud: the running `dev` when there is one (so its pollers and long
 * polls see the change at once), else a local cloud opened in this process on the same state.
 */
export async function connect(
  dirArg: string,
  options: { needsCode: boolean; region?: string | undefined },
): Promise<AppConnection> {
  const dir = resolve(dirArg);
  const remote = await runningDev(join(dir, ".sluice"));
  if (remote) return { ops: remote, mode: "dev", close: async () => {} };
  const loaded = await loadApp(dir);
  // A multi-region app keeps each region's state in .sluice/regions/<region>/ (dev-regions.ts):
  // open the region asked for (the primary by default) as its dev would.
  const multiRegion = loaded.spec.regions !== undefined;
  const region =
    multiRegion && appRegions(loaded.spec).includes(options.region ?? "") ? options.region : undefined;
  const app =
    region === undefined ? loaded : { ...loaded, spec: normaliseApp(loaded.definition, { region }) };
  const outDir = join(app.stateDir, "one-shot", String(process.pid));
  const bundles = options.needsCode
    ? new Map(
        (await bundleFunctions(app.spec, { dir: app.dir, configFile: app.configFile, outDir })).map((b) => [
          b.function,
          b,
        ]),
      )
    : new Map();
  const cloud = new LocalCloud({
    spec: app.spec,
    stateDir: regionStateDir(app.stateDir, app.spec.region, multiRegion),
    // The app's clock as its dev left it (one for all regions, in the app's state folder).
    clock: durableClock(app.stateDir),
    background: false,
    code: (fn) => {
      const bundle = bundles.get(fn.name);
      if (!bundle) throw new Error(`no bundle for ${fn.name}`);
      return { file: bundle.file, exportName: bundle.exportName };
    },
  });
  return {
    ops: directOperations(() => cloud),
    mode: "one-shot",
    close: async () => {
      await cloud.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** How long a command waits for a running but busy (or still starting) `dev` to answer. */
const BUSY_DEV_PATIENCE_MS = 15_000;

/**
 * The running `dev`'s operations, or undefined when none runs. A dev that holds the app's lock but
 * does not answer at once is busy or starting, not gone: it holds the state file alone, so opening
 * the file here would fail; wait for it, then say plainly that it does not answer.
 */
export async function runningDev(stateDir: string): Promise<Operations | undefined> {
  const deadline = Date.now() + BUSY_DEV_PATIENCE_MS;
  for (;;) {
    const dev = readDevState(stateDir);
    // The token comes from the state file (0600): only this user can reach the running dev.
    if (dev && typeof dev.token === "string" && (await isAlive(dev.url, dev.token))) {
      return remoteOperations(dev.url, dev.token);
    }
    const pid = runningDevPid(stateDir);
    if (pid === undefined) return undefined;
    if (Date.now() > deadline) {
      throw new SluiceError(
        "SLUICE_DEV_UNRESPONSIVE",
        `sluice dev (pid ${pid}) holds this app's local cloud but did not answer within ${BUSY_DEV_PATIENCE_MS / 1000} s; ` +
          `retry when it is less busy, or stop it (Ctrl-C in its terminal, or \`kill ${pid}\`) to run this command on its own.`,
        { context: { pid } },
      );
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
}

/** Runs `use` with a connection to the app's local cloud and always closes it afterwards. */
export async function withConnection<T>(
  dir: string,
  options: { needsCode: boolean; region?: string | undefined },
  use: (connection: AppConnection) => Promise<T>,
): Promise<T> {
  const connection = await connect(dir, options);
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}
