import { join } from "node:path";
import { bundleFunctions } from "../src/bundle/bundle-functions.ts";
import { loadApp } from "../src/bundle/load-app.ts";
import { SystemClock } from "../src/local/clock/clock.ts";
import { LocalCloud } from "../src/local/local-cloud.ts";

/** Loads and bundles an app and opens its local cloud, as `sluice dev` does (without the watcher). */
export async function openCloud(dir: string, options: { background?: boolean } = {}): Promise<LocalCloud> {
  const app = await loadApp(dir);
  const bundles = await bundleFunctions(app.spec, {
    dir: app.dir,
    configFile: app.configFile,
    outDir: join(app.stateDir, "bench"),
  });
  const byName = new Map(bundles.map((b) => [b.function, b]));
  const cloud = new LocalCloud({
    spec: app.spec,
    stateDir: app.stateDir,
    clock: new SystemClock(),
    background: options.background ?? true,
    code: (fn) => {
      const bundle = byName.get(fn.name);
      if (!bundle) throw new Error(`no bundle for ${fn.name}`);
      return { file: bundle.file, exportName: bundle.exportName };
    },
  });
  cloud.start();
  return cloud;
}
