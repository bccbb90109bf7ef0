/**
 * `sluice cloud`'s server fleets (issue 19): ONE local `sluice serve --artifact` child process per
 * deployed fleet (translate-servers.ts says which), instead of instances or tasks. The artifact
 * comes from the account's S3, as an instance's user data copies it; the process listens on its
 * load balancer's port, signs with credentials of its own against the cloud's endpoint, is
 * restarted when the stack names a new artifact, and is stopped (SIGTERM, by PID, then SIGKILL
 * after its shutdown deadline) when its stack is deleted and when the cloud exits. Its `/healthz`
 * is what the fleet's target groups report (ELB DescribeTargetHealth, local/elbv2/). How one
 * process is launched (its folder, its command line) is fleet-launch.ts.
 */
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import type { TargetHealthDescription } from "../elbv2/index.ts";
import type { S3Store } from "../s3/index.ts";
import { type FleetLauncher, signatureOf, spawnServe, unpackArtifact } from "./fleet-launch.ts";
import { groupTargets } from "./fleet-targets.ts";
import type { FleetPlan } from "./translate-servers.ts";

/** What happened to a fleet's process; `key` is `<stack>/<fleet>`. */
export type FleetEvent = { readonly region: string; readonly key: string } & (
  | { readonly type: "fleet-started"; readonly pid: number; readonly port: number }
  | {
      readonly type: "fleet-exited";
      readonly pid: number;
      readonly code: number | null;
      readonly signal: string | null;
    }
  | { readonly type: "fleet-log"; readonly line: string }
  | { readonly type: "fleet-error"; readonly error: unknown }
);

export interface FleetProcessesOptions {
  /** Where artifacts are unzipped: `<stateDir>/fleets/<region>/<stack>/<fleet>/<artifact hash>/`. */
  readonly stateDir: string;
  readonly s3: Pick<S3Store, "getObject">;
  readonly endpointUrl: () => string;
  /** The address serve binds and health checks reach. @default "127.0.0.1" */
  readonly host?: string;
  readonly allocatePort: () => Promise<number>;
  /** Variables every fleet process gets (its credentials). */
  readonly environment: (plan: FleetPlan) => Readonly<Record<string, string>>;
  /** @default none: fleets are known (their target groups answer) but not run */
  readonly launcher?: FleetLauncher;
  readonly onEvent?: (event: FleetEvent) => void;
}

/**
 * A process that exits by itself is started again after RESTART_DELAY_MS, as systemd's
 * `Restart=always` does on an instance and ECS replaces a stopped task; one that keeps exiting
 * within QUICK_EXIT_MS of its start is given up after MAX_QUICK_EXITS in a row, until the next
 * deploy of its stack (Sluice's own numbers, not AWS's).
 */
const RESTART_DELAY_MS = 1000;
const QUICK_EXIT_MS = 10_000;
const MAX_QUICK_EXITS = 5;

interface Running {
  readonly plan: FleetPlan;
  /** What a change to restarts the process: the artifact and the command line. */
  readonly signature: string;
  /** The unzipped artifact, removed once the process is stopped. */
  readonly dir: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly startedAt: number;
  alive: boolean;
}

export class FleetProcesses {
  private readonly running = new Map<string, Running>();
  /** Each region's plans as last synced, running or not. */
  private readonly plans = new Map<string, readonly FleetPlan[]>();
  private queue: Promise<void> = Promise.resolve();
  /** Quick exits in a row, by fleet key (see MAX_QUICK_EXITS). */
  private readonly quickExits = new Map<string, number>();
  private closed = false;
  /** The address serve binds and health checks reach. */
  private readonly host: string;

  constructor(private readonly options: FleetProcessesOptions) {
    this.host = options.host ?? "127.0.0.1";
  }

  /** Makes the region's processes match `plans`: start the new, restart the changed, stop the gone. */
  sync(region: string, plans: readonly FleetPlan[]): Promise<void> {
    const run = this.queue.then(() => this.apply(region, plans));
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * The targets a target group reports: one per instance or task the fleet asks for, each with
   * its one process's `/healthz` (docs/fidelity.md); undefined when no fleet of the region uses it.
   */
  async targetHealth(region: string, targetGroupArn: string): Promise<TargetHealthDescription[] | undefined> {
    const plan = (this.plans.get(region) ?? []).find((p) =>
      p.targetGroups.some((t) => t.arn === targetGroupArn),
    );
    const group = plan?.targetGroups.find((t) => t.arn === targetGroupArn);
    if (!plan || !group) return undefined;
    const running = this.running.get(plan.key);
    const served = running === undefined ? undefined : running.alive ? { port: running.port } : "exited";
    return groupTargets(plan, group, served, this.host);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await Promise.all([...this.running.keys()].map((key) => this.stop(key)));
  }

  private async apply(region: string, plans: readonly FleetPlan[]): Promise<void> {
    this.plans.set(region, plans);
    const wanted = new Map(plans.map((p) => [p.key, p]));
    for (const [key, running] of this.running) {
      if (running.plan.region !== region) continue;
      const plan = wanted.get(key);
      if (!plan || signatureOf(plan) !== running.signature || !running.alive) await this.stop(key);
    }
    // A deploy gives a fleet that kept crashing a fresh start.
    for (const plan of plans) this.quickExits.delete(plan.key);
    if (!this.options.launcher) return;
    for (const plan of plans) {
      if (this.running.has(plan.key)) continue;
      try {
        await this.start(plan, this.options.launcher);
      } catch (error) {
        this.options.onEvent?.({ type: "fleet-error", region: plan.region, key: plan.key, error });
      }
    }
  }

  private async start(plan: FleetPlan, launcher: FleetLauncher): Promise<void> {
    const signature = signatureOf(plan);
    const dir = unpackArtifact(this.options.stateDir, plan, signature, this.options.s3, launcher);
    const port = plan.port ?? (await this.options.allocatePort());
    const child = spawnServe(launcher, plan, {
      dir,
      endpointUrl: this.options.endpointUrl(),
      host: this.host,
      port,
      environment: this.options.environment(plan),
    });
    const running: Running = {
      plan,
      signature,
      dir,
      port,
      child,
      alive: true,
      startedAt: Date.now(),
      exited: new Promise((resolve) => {
        child.once("exit", (code, signal) => {
          running.alive = false;
          this.restartLater(running);
          this.options.onEvent?.({
            type: "fleet-exited",
            region: plan.region,
            key: plan.key,
            pid: child.pid ?? 0,
            code,
            signal,
          });
          resolve();
        });
        child.once("error", (error) => {
          running.alive = false;
          this.options.onEvent?.({ type: "fleet-error", region: plan.region, key: plan.key, error });
          resolve();
        });
      }),
    };
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() !== "")
          this.options.onEvent?.({ type: "fleet-log", region: plan.region, key: plan.key, line });
      }
    };
    child.stdout?.on("data", forward);
    child.stderr?.on("data", forward);
    this.running.set(plan.key, running);
    this.options.onEvent?.({
      type: "fleet-started",
      region: plan.region,
      key: plan.key,
      pid: child.pid ?? 0,
      port,
    });
  }

  /** After a process exited by itself (stop() forgets it first), starts it again, bounded. */
  private restartLater(running: Running): void {
    const { key } = running.plan;
    if (this.closed || this.running.get(key) !== running) return;
    const quick = Date.now() - running.startedAt < QUICK_EXIT_MS ? (this.quickExits.get(key) ?? 0) + 1 : 0;
    this.quickExits.set(key, quick);
    if (quick >= MAX_QUICK_EXITS) {
      this.options.onEvent?.({
        type: "fleet-error",
        region: running.plan.region,
        key,
        error: new Error(
          `sluice serve exited ${quick} times in a row within ${QUICK_EXIT_MS / 1000} s of starting; not restarted until the stack is deployed again`,
        ),
      });
      return;
    }
    const timer = setTimeout(() => {
      this.queue = this.queue.then(async () => {
        const launcher = this.options.launcher;
        if (this.closed || this.running.get(key) !== running || !launcher) return;
        this.running.delete(key);
        await this.start(running.plan, launcher).catch((error: unknown) =>
          this.options.onEvent?.({ type: "fleet-error", region: running.plan.region, key, error }),
        );
      });
    }, RESTART_DELAY_MS);
    timer.unref();
  }

  /**
   * SIGTERM (serve's graceful shutdown), SIGKILL once its deadline and a margin passed; then its
   * artifact's folder goes, so the state folder holds only what runs.
   */
  private async stop(key: string): Promise<void> {
    const running = this.running.get(key);
    if (!running) return;
    this.running.delete(key);
    if (running.alive) await this.end(running);
    rmSync(running.dir, { recursive: true, force: true });
  }

  private async end(running: Running): Promise<void> {
    running.child.kill("SIGTERM");
    const margin = (running.plan.shutdownSeconds + 5) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (running.alive) running.child.kill("SIGKILL");
        resolve();
      }, margin);
    });
    await Promise.race([running.exited, killed]);
    clearTimeout(timer);
    await running.exited;
  }
}
