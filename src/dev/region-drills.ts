/**
 * Failover drills of a running `sluice dev` (`sluice fail …`, `sluice heal`): what each drill
 * breaks, and the report `sluice health` prints. A drill only changes what others read from here:
 * the API servers ask `isOutage` on every request, each function environment's variables include
 * `environment`, and replication is paused through R's engine. Heal undoes each drill the same way.
 */

import type {
  Drill,
  DrillOperations,
  DrillRequest,
  FailoverReport,
  HealRequest,
  HealthCheckReport,
  ReplicationDirectionReport,
} from "../local/drill-operations.ts";
import type { AppSpec, FunctionSpec } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { didYouMean } from "../model/validate/suggest.ts";

/** A drill began or ended; dev's log prints it. */
export interface DrillEvent {
  readonly type: "drill";
  readonly action: "fail" | "heal";
  readonly drill: Drill;
}

/**
 * What a drill needs of a region's local cloud: its spec, and Lambda's update of one function's
 * configuration (LocalLambdaService.reloadFunction), which gives that function new environments.
 */
export interface DrillCloud {
  readonly spec: AppSpec;
  readonly lambda: { reloadFunction(functionName: string): Promise<unknown> };
}

/** What drills need of the global tables' replication (GlobalTableReplication satisfies it). */
export interface DrillReplication {
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  status(): readonly ReplicationDirectionReport[];
}

/** What `sluice health` reads of the local Route 53 (Route53Engine satisfies it). */
export interface DrillRoute53 {
  status(): readonly HealthCheckReport[];
  resolve(name: string): { readonly region: string; readonly target: { readonly url: string } } | undefined;
}

export interface RegionDrillsOptions {
  /** Every region dev runs, the primary first. */
  readonly regions: readonly string[];
  /** A region's cloud, read on every use: dev replaces clouds when the definition changes. */
  readonly cloud: (region: string) => DrillCloud | undefined;
  /** Now on dev's clock, for when each drill began. */
  readonly now: () => number;
  /** The global tables' replication, when the app has any. */
  readonly replication?: () => DrillReplication | undefined;
  readonly route53?: () => DrillRoute53 | undefined;
  readonly onEvent?: (event: DrillEvent) => void;
}

export class RegionDrills {
  /** Drills in force, by `key`, in the order they began. */
  private readonly drills = new Map<string, Drill>();

  constructor(private readonly options: RegionDrillsOptions) {}

  /** The region's HTTP and WebSocket APIs answer as an outage until healed. */
  failRegion(region: string): Drill {
    this.check({ kind: "region", region });
    return this.begin({ kind: "region", region, since: this.options.now() });
  }

  /**
   * Turns on the function's forced-failure switch in one region, as an operator would with
   * UpdateFunctionConfiguration: its `health.forceFailVariable` is "true" among the function's own
   * variables (GetFunctionConfiguration shows it) and in its environments started from now on; that
   * function alone gets new environments (in-flight invocations finish on theirs), as after a
   * configuration update
   * (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html).
   * A drill already in force changes nothing: its environments already read the switch.
   */
  async failFunction(name: string, region: string): Promise<Drill> {
    const fn = this.check({ kind: "function", function: name, region });
    const existing = this.drills.get(key({ kind: "function", region, function: name }));
    if (existing) return existing;
    const variable = fn?.health?.forceFailVariable as string;
    const drill = this.begin({
      kind: "function",
      region,
      function: name,
      variable,
      since: this.options.now(),
    });
    await this.renew(region, name);
    return drill;
  }

  /** Pauses replication: writes wait in their region (durably) until heal resumes it. */
  failReplication(): Drill {
    this.check({ kind: "replication" });
    const replication = this.options.replication?.() as DrillReplication;
    replication.pause();
    return this.begin({ kind: "replication", since: this.options.now() });
  }

  /**
   * Ends the drills `request` matches, every drill when it names nothing; returns those ended. A
   * function drill stays in force when a definition reload removes its function (nothing runs it
   * then), and heal still finds it by the function's name (docs/fidelity.md, "Failover drills").
   */
  async heal(request: HealRequest = {}): Promise<Drill[]> {
    const drilled =
      request.function !== undefined && this.active().some((d) => d.function === request.function);
    this.checkNames(request.region, drilled ? undefined : request.function, request.region);
    const ended = [...this.drills.entries()].filter(([, drill]) => matches(drill, request));
    for (const [key, drill] of ended) {
      this.drills.delete(key);
      if (drill.kind === "replication") this.options.replication?.()?.resume();
      this.options.onEvent?.({ type: "drill", action: "heal", drill });
    }
    for (const [, drill] of ended) {
      if (drill.kind === "function") await this.renew(drill.region as string, drill.function as string);
    }
    return ended.map(([, drill]) => drill);
  }

  isOutage(region: string): boolean {
    // Asked on every HTTP request: with no drill running there is no key to build.
    return this.drills.size > 0 && this.drills.has(key({ kind: "region", region }));
  }

  /** Extra environment for a function in a region: the forced-failure switch while a drill holds it. */
  environment(region: string, fn: FunctionSpec): Record<string, string> {
    const drill = this.drills.get(key({ kind: "function", region, function: fn.name }));
    return drill?.variable === undefined ? {} : { [drill.variable]: "true" };
  }

  active(): readonly Drill[] {
    return [...this.drills.values()];
  }

  /** `sluice health`: every check, what DNS answers now, replication, the drills in force. */
  report(): FailoverReport {
    const { regions } = this.options;
    const spec = this.options.cloud(regions[0] as string)?.spec;
    const route53 = this.options.route53?.();
    const replication = this.options.replication?.();
    const domain = spec?.domain;
    const answer = domain === undefined ? undefined : route53?.resolve(domain.name);
    return {
      regions,
      outages: regions.filter((r) => this.isOutage(r)),
      checks: route53?.status() ?? [],
      ...(domain === undefined
        ? {}
        : {
            dns: {
              name: domain.name,
              routing: domain.routing,
              ...(answer === undefined ? {} : { region: answer.region, target: answer.target.url }),
            },
          }),
      ...(replication === undefined
        ? {}
        : { replication: { paused: replication.paused, directions: replication.status() } }),
      drills: this.active(),
    };
  }

  /** The drills as the control API serves them. */
  operations(): DrillOperations {
    return {
      fail: async (request) => {
        const region = this.regionOf(request);
        const before = this.drills.get(key({ ...request, ...(region === undefined ? {} : { region }) }));
        const drill = await this.fail(request);
        return {
          drill,
          drills: this.active(),
          ...(before === drill ? { alreadyInForce: true as const } : {}),
        };
      },
      heal: async (request) => ({ healed: await this.heal(request), drills: this.active() }),
      report: async () => this.report(),
    };
  }

  /** A missing region or function (the control API may omit them) is one of `check`'s problems. */
  private fail(request: DrillRequest): Promise<Drill> | Drill {
    const region = this.regionOf(request) as string;
    if (request.kind === "region") return this.failRegion(region);
    if (request.kind === "function") return this.failFunction(request.function as string, region);
    return this.failReplication();
  }

  /** A single-region dev needs no `--region`; several regions do (a drill should say where). */
  private regionOf(request: DrillRequest): string | undefined {
    const { regions } = this.options;
    if (request.kind === "replication") return undefined;
    return request.region ?? (regions.length === 1 ? regions[0] : undefined);
  }

  /** Records a drill (once: a drill already in force stays as it began) and says so in the log. */
  private begin(drill: Drill): Drill {
    const existing = this.drills.get(key(drill));
    if (existing) return existing;
    this.drills.set(key(drill), drill);
    this.options.onEvent?.({ type: "drill", action: "fail", drill });
    return drill;
  }

  /**
   * New environments for one function in one region, which read its variables anew. A function a
   * definition reload removed has none to renew.
   */
  private async renew(region: string, name: string): Promise<void> {
    const cloud = this.options.cloud(region);
    if (cloud?.spec.functions[name] === undefined) return;
    await cloud.lambda.reloadFunction(name);
  }

  /** Every problem with a drill request, all at once; the function it names when it is fine. */
  private check(request: DrillRequest): FunctionSpec | undefined {
    const problems = this.nameProblems(request.region, request.function, request.region);
    if (request.kind !== "replication" && request.region === undefined)
      problems.unshift(`fail ${request.kind} needs a region: one of ${this.options.regions.join(", ")}`);
    if (request.kind === "function" && request.function === undefined)
      problems.push("fail function needs the function's name (its key under functions)");
    let fn: FunctionSpec | undefined;
    if (request.kind === "function" && problems.length === 0) {
      const spec = this.options.cloud(request.region as string)?.spec;
      fn = spec?.functions[request.function as string];
      const health = fn?.health;
      if (health === undefined) {
        problems.push(
          `function "${request.function}" has no health check (health: { path }), so it has no forced-failure switch`,
        );
      } else if (fn?.environment[health.forceFailVariable] !== undefined) {
        problems.push(
          `function "${request.function}" sets ${health.forceFailVariable} in its definition's environment, which wins over a drill; remove it there to drill`,
        );
      }
    }
    if (request.kind === "replication" && this.options.replication?.() === undefined) {
      problems.push(
        "the app has no global table (tables: { name: { global: true } }), so nothing replicates",
      );
    }
    if (problems.length > 0) throw invalid(problems);
    return fn;
  }

  private checkNames(
    region: string | undefined,
    fnName: string | undefined,
    specRegion: string | undefined,
  ): void {
    const problems = this.nameProblems(region, fnName, specRegion);
    if (problems.length > 0) throw invalid(problems);
  }

  private nameProblems(
    region: string | undefined,
    fnName: string | undefined,
    specRegion: string | undefined,
  ): string[] {
    const { regions } = this.options;
    const problems: string[] = [];
    if (region !== undefined && !regions.includes(region)) {
      problems.push(
        `no region "${region.slice(0, 60)}" in this dev.${didYouMean(region, regions)} Its regions: ${regions.join(", ")}`,
      );
    }
    if (fnName !== undefined) {
      const known = regions.includes(specRegion ?? "") ? (specRegion as string) : (regions[0] as string);
      const names = Object.keys(this.options.cloud(known)?.spec.functions ?? {});
      if (!names.includes(fnName)) {
        problems.push(
          `no function "${fnName.slice(0, 80)}" in this app.${didYouMean(fnName, names)} Its functions: ${names.join(", ") || "none"}`,
        );
      }
    }
    return problems;
  }
}

/** One drill per kind, region and function. */
function key(drill: Pick<Drill, "kind" | "region" | "function">): string {
  return JSON.stringify([drill.kind, drill.region ?? "", drill.function ?? ""]);
}

function matches(drill: Drill, request: HealRequest): boolean {
  return (
    (request.kind === undefined || drill.kind === request.kind) &&
    (request.region === undefined || drill.region === request.region) &&
    (request.function === undefined || drill.function === request.function)
  );
}

function invalid(problems: readonly string[]): SluiceError {
  return new SluiceError("SLUICE_INVALID_DRILL", `${problems.join("; ")}.`, {
    context: { problems },
  });
}
