import { join, resolve } from "node:path";
import { bundleFunctions } from "../bundle/bundle-functions.ts";
import { loadApp } from "../bundle/load-app.ts";
import { readDevState } from "../dev/dev-state-file.ts";
import { SystemClock } from "../local/clock/index.ts";
import { isAlive, remoteOperations } from "../local/control/index.ts";
import { LocalCloud } from "../local/local-cloud.ts";
import { type Operations, directOperations } from "../local/operations.ts";
import { rmSync } from "node:fs";

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
export async function connect(dirArg: string, options: { needsCode: boolean }): Promise<AppConnection> {
  const dir = resolve(dirArg);
  const dev = readDevState(join(dir, ".sluice"));
  // The token comes from the state file (0600): only this user can reach the running dev.
  if (dev && typeof dev.token === "string" && (await isAlive(dev.url, dev.token))) {
    return { ops: remoteOperations(dev.url, dev.token), mode: "dev", close: async () => {} };
  }
  const app = await loadApp(dir);
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
    stateDir: app.stateDir,
    clock: new SystemClock(),
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

/** Runs `use` with a connection to the app's local cloud and always closes it afterwards. */
export async function withConnection<T>(
  dir: string,
  options: { needsCode: boolean },
  use: (connection: AppConnection) => Promise<T>,
): Promise<T> {
  const connection = await connect(dir, options);
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}
