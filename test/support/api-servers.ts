/**
 * Runs an app with HTTP/WebSocket APIs in-process: the fixture handlers in test/fixtures/apps/api
 * with a config the test writes, bundled as `dev` bundles them, a LocalCloud on a temp state dir,
 * and the API servers on free ports of 127.0.0.1.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleFunctions } from "../../src/bundle/bundle-functions.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import { ApiServers } from "../../src/local/api-servers.ts";
import type { ApiAccess } from "../../src/local/apigateway/types.ts";
import { type Clock, SystemClock } from "../../src/local/clock/clock.ts";
import { LocalCloud } from "../../src/local/local-cloud.ts";
import type { Tracer } from "../../src/local/traces/index.ts";
import { ROOT } from "./cli-process.ts";

export interface ApiApp {
  readonly dir: string;
  readonly cloud: LocalCloud;
  readonly servers: ApiServers;
  readonly access: ApiAccess[];
  close(): Promise<void>;
}

/** `config` is the body of `defineApp({ ... })`; handlers live in src/ as in the fixture. */
export async function startApiApp(
  config: string,
  options: { clock?: Clock; environment?: Record<string, string>; tracer?: Tracer } = {},
): Promise<ApiApp> {
  const dir = mkdtempSync(join(tmpdir(), "sluice-api-"));
  cpSync(join(ROOT, "test", "fixtures", "apps", "api", "src"), join(dir, "src"), { recursive: true });
  // Bundles resolve hono, and the AWS SDK (external, as Lambda provides it), from Sluice's own modules.
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(
    join(dir, "sluice.config.ts"),
    `import { defineApp } from "sluice";\nexport default defineApp(${config});\n`,
  );
  const app = await loadApp(dir);
  const outDir = join(app.stateDir, "bundle");
  mkdirSync(outDir, { recursive: true });
  const bundles = new Map(
    (await bundleFunctions(app.spec, { dir: app.dir, configFile: app.configFile, outDir })).map((b) => [
      b.function,
      b,
    ]),
  );
  const cloud = new LocalCloud({
    spec: app.spec,
    stateDir: app.stateDir,
    clock: options.clock ?? new SystemClock(),
    ...(options.environment ? { environment: () => options.environment ?? {} } : {}),
    code: (fn) => {
      const bundle = bundles.get(fn.name);
      if (!bundle) throw new Error(`no bundle for ${fn.name}`);
      return { file: bundle.file, exportName: bundle.exportName };
    },
  });
  cloud.start();
  const access: ApiAccess[] = [];
  const servers = await ApiServers.start({
    backend: () => cloud,
    onAccess: (a) => access.push(a),
    ...(options.tracer ? { tracer: options.tracer } : {}),
  });
  return {
    dir,
    cloud,
    servers,
    access,
    close: async () => {
      await servers.close();
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
