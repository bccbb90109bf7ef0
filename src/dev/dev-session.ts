import { type FSWatcher, mkdirSync, rmSync, watch } from "node:fs";
import { join, relative, sep } from "node:path";
import { type FunctionBundle, bundleFunctions } from "../bundle/bundle-functions.ts";
import { type LoadedApp, loadApp } from "../bundle/load-app.ts";
import { type Clock, SystemClock } from "../local/clock.ts";
import { type ControlServer, startControlServer } from "../local/endpoint/control-server.ts";
import { type CloudEvent, LocalCloud } from "../local/local-cloud.ts";
import { directOperations } from "../local/operations.ts";
import type { AppSpec } from "../model/app-spec.ts";
import { removeDevState, writeDevState } from "./dev-state-file.ts";

export type DevEvent =
  | CloudEvent
  | { readonly type: "ready"; readonly spec: AppSpec; readonly url: string; readonly startMs: number }
  | {
      readonly type: "reloaded";
      readonly files: readonly string[];
      readonly ms: number;
      readonly restarted: boolean;
    }
  | { readonly type: "reload-failed"; readonly error: unknown };

export interface DevSessionOptions {
  readonly dir: string;
  readonly clock?: Clock;
  readonly host?: string;
  readonly port?: number;
  /** Rebuild and reload when files change. @default true */
  readonly watch?: boolean;
  readonly idleTimeoutMs?: number;
  readonly onEvent?: (event: DevEvent) => void;
}

const IGNORED = [".sluice", "node_modules", ".git"];
const DEBOUNCE_MS = 80;

/**
 * `sluice dev`: loads and bundles the app, runs its local cloud, serves the control endpoint and
 * reloads on change. Code changes swap bundles (in-flight invocations finish on the old code);
 * a changed definition restarts the cloud on the same state file.
 */
export class DevSession {
  private app!: LoadedApp;
  private cloud!: LocalCloud;
  private server: ControlServer | undefined;
  private bundles = new Map<string, FunctionBundle>();
  private generation = 0;
  private watcher: FSWatcher | undefined;
  private pending = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private readonly clock: Clock;

  private constructor(private readonly options: DevSessionOptions) {
    this.clock = options.clock ?? new SystemClock();
  }

  static async start(options: DevSessionOptions): Promise<DevSession> {
    const started = performance.now();
    const session = new DevSession(options);
    session.app = await loadApp(options.dir);
    await session.rebundle();
    session.cloud = session.openCloud();
    session.cloud.start();
    session.server = await startControlServer(
      directOperations(() => session.cloud),
      {
        ...(options.host ? { host: options.host } : {}),
        ...(options.port !== undefined ? { port: options.port } : {}),
      },
    );
    writeDevState(session.app.stateDir, {
      pid: process.pid,
      url: session.server.url,
      startedAt: new Date().toISOString(),
    });
    if (options.watch !== false) session.watchFiles();
    options.onEvent?.({
      type: "ready",
      spec: session.app.spec,
      url: session.server.url,
      startMs: performance.now() - started,
    });
    return session;
  }

  get url(): string {
    return this.server?.url ?? "";
  }

  get spec(): AppSpec {
    return this.app.spec;
  }

  get localCloud(): LocalCloud {
    return this.cloud;
  }

  async close(): Promise<void> {
    this.watcher?.close();
    if (this.debounce) clearTimeout(this.debounce);
    await this.reloading;
    await this.server?.close();
    await this.cloud.close();
    removeDevState(this.app.stateDir, process.pid);
  }

  /** Rebuilds now, as a file change would. */
  reload(files: readonly string[] = []): Promise<void> {
    this.reloading = this.reloading.then(() => this.doReload(files));
    return this.reloading;
  }

  private openCloud(): LocalCloud {
    return new LocalCloud({
      spec: this.app.spec,
      stateDir: this.app.stateDir,
      clock: this.clock,
      code: (fn) => {
        const bundle = this.bundles.get(fn.name);
        if (!bundle) throw new Error(`no bundle for function ${fn.name}`);
        return { file: bundle.file, exportName: bundle.exportName };
      },
      ...(this.options.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.options.idleTimeoutMs } : {}),
      ...(this.options.onEvent ? { onEvent: this.options.onEvent } : {}),
    });
  }

  /** Each build goes to a new folder, so environments still running old code keep their files. */
  private async rebundle(): Promise<void> {
    const root = join(this.app.stateDir, "dev");
    const outDir = join(root, `g${++this.generation}`);
    mkdirSync(outDir, { recursive: true });
    const bundles = await bundleFunctions(this.app.spec, {
      dir: this.app.dir,
      configFile: this.app.configFile,
      outDir,
    });
    this.bundles = new Map(bundles.map((b) => [b.function, b]));
    // Two generations back is no longer loaded by any environment that can still start.
    if (this.generation > 2) rmSync(join(root, `g${this.generation - 2}`), { recursive: true, force: true });
  }

  private async doReload(files: readonly string[]): Promise<void> {
    const started = performance.now();
    try {
      const app = await loadApp(this.options.dir);
      const restarted = JSON.stringify(app.spec) !== JSON.stringify(this.app.spec);
      this.app = app;
      await this.rebundle();
      if (restarted) {
        await this.cloud.close();
        this.cloud = this.openCloud();
        this.cloud.start();
      } else {
        this.cloud.lambda.reload();
      }
      this.options.onEvent?.({ type: "reloaded", files, ms: performance.now() - started, restarted });
    } catch (error) {
      this.options.onEvent?.({ type: "reload-failed", error });
    }
  }

  private watchFiles(): void {
    this.watcher = watch(this.app.dir, { recursive: true }, (_event, filename) => {
      if (!filename) return;
      const rel = relative(this.app.dir, join(this.app.dir, filename.toString()));
      if (IGNORED.some((dir) => rel === dir || rel.startsWith(`${dir}${sep}`))) return;
      this.pending.add(rel);
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        const changed = [...this.pending];
        this.pending.clear();
        void this.reload(changed);
      }, DEBOUNCE_MS);
    });
  }
}
