/**
 * `startApp`: the app's local cloud as `sluice dev` runs it (one place builds a running app:
 * DevSession), inside the test's process, with what a test needs instead of what a developer
 * needs: a manual clock, its own state in a new temporary folder, free loopback ports, no file
 * watcher, no console, no wait for functions' first init, and the builds of earlier starts of the
 * same app reused while its files are unchanged (dev/bundle-cache.ts).
 */

import { DevSession } from "../dev/dev-session.ts";
import { ManualClock } from "../local/clock/index.ts";
import type { LocalCloud } from "../local/local-cloud.ts";
import { CapturedLogs } from "./captured-logs.ts";
import { badTime } from "./errors.ts";
import { settleCloud } from "./settle.ts";
import { newStateFolder, removeStateFolder } from "./state-folder.ts";
import { LocalTestApp } from "./test-app.ts";
import type { StartAppOptions, TestApp } from "./types.ts";

/**
 * Starts the app in `dir` (the folder holding its `sluice.config.ts`) and resolves once it is
 * ready for the test: queues made, mappings polling, the endpoint and APIs listening.
 * @example const app = await startApp("examples/pipeline"); … await app.close();
 */
export async function startApp(dir: string, options: StartAppOptions = {}): Promise<TestApp> {
  const now = options.now instanceof Date ? options.now.getTime() : (options.now ?? Date.now());
  if (!Number.isFinite(now) || now < 0) throw badTime(options.now);
  const stateDir = newStateFolder();
  const logs = new CapturedLogs(options.onLog);
  let session: DevSession | undefined;
  const cloud = (): LocalCloud => {
    if (!session) throw new Error("the app's cloud is not running yet");
    return session.localCloud;
  };
  const settle = () => settleCloud(cloud);
  const clock = new ManualClock(now, { settle });
  try {
    session = await DevSession.start({
      dir,
      clock,
      stateDir,
      port: 0,
      iam: options.iam ?? "enforce",
      apis: options.apis !== false,
      watch: false,
      console: false,
      waitForInit: false,
      reuseBundles: true,
      onEvent: (event) => {
        if (event.type === "log") logs.record(event.line.functionName, event.line.text);
      },
    });
  } catch (error) {
    removeStateFolder(stateDir);
    throw error;
  }
  return new LocalTestApp({ session, clock, stateDir, logs, settle });
}
