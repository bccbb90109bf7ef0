/**
 * Failover drills as the CLI asks for them (`sluice fail`, `sluice heal`, `sluice health`): the
 * requests, the report, and the interface a running multi-region `dev` serves over its control
 * API. Plain JSON shapes, so the control client carries them unchanged; `dev/region-drills.ts`
 * holds the drills themselves.
 */
import type { HealthCheckStatus } from "./route53/index.ts";

/** What a drill breaks: a region's APIs, one function's health (the forced-failure switch), or replication. */
export type DrillKind = "region" | "function" | "replication";

export const DRILL_KINDS: readonly DrillKind[] = ["region", "function", "replication"];

/** `sluice fail …`: which drill to start. `region` and `function` as the kind needs them. */
export interface DrillRequest {
  readonly kind: DrillKind;
  readonly region?: string;
  /** The function's name in the definition (the key under `functions`). */
  readonly function?: string;
}

/** `sluice heal [kind …]`: which drills to end; every field absent ends them all. */
export interface HealRequest {
  readonly kind?: DrillKind;
  readonly region?: string;
  readonly function?: string;
}

/** A drill in force. */
export interface Drill {
  readonly kind: DrillKind;
  /** The region it breaks (absent for replication, which spans every region). */
  readonly region?: string;
  /** The function whose forced-failure switch is on (kind `function`). */
  readonly function?: string;
  /** The forced-failure variable set to "true" (kind `function`). */
  readonly variable?: string;
  /** When it began, epoch ms on dev's clock. */
  readonly since: number;
}

/**
 * One ping of a health check, and one check as its (one, local) checker sees it: the local
 * Route 53's own types, so the report `sluice health` prints cannot drift from what route53 holds.
 */
export type { HealthCheckStatus as HealthCheckReport, PingResult as PingReport } from "./route53/index.ts";

/** Replication of global tables from one region to another. */
export interface ReplicationDirectionReport {
  readonly from: string;
  readonly to: string;
  /** Writes committed in `from` not yet applied in `to`. */
  readonly waiting: number;
  /** Age of the oldest of them, ms on dev's clock. */
  readonly oldestAgeMs?: number;
  /** When a write last reached `to`, epoch ms. */
  readonly lastReplicatedAt?: number;
}

/** `sluice health`: the failover site as a running `dev` sees it now. */
export interface FailoverReport {
  /** Every region the app runs in, primary first. */
  readonly regions: readonly string[];
  /** Regions whose APIs answer as an outage now. */
  readonly outages: readonly string[];
  readonly checks: readonly HealthCheckStatus[];
  /** What DNS answers for the app's domain now; absent when the app has no domain. */
  readonly dns?: {
    readonly name: string;
    readonly routing: "failover" | "latency";
    /** The region of the record DNS answers; absent when it answers none (NXDOMAIN). */
    readonly region?: string;
    readonly target?: string;
  };
  /** Absent when the app has no global table. */
  readonly replication?: {
    readonly paused: boolean;
    readonly directions: readonly ReplicationDirectionReport[];
  };
  readonly drills: readonly Drill[];
}

/** What a running `dev` serves for drills (the control API's `/failover` routes). */
export interface DrillOperations {
  /**
   * Starts a drill; starting one already in force changes nothing (no new environments, no event)
   * and says so with `alreadyInForce`.
   */
  fail(request: DrillRequest): Promise<{
    readonly drill: Drill;
    readonly drills: readonly Drill[];
    readonly alreadyInForce?: true;
  }>;
  /** Ends the drills the request matches (all of them when it names nothing). */
  heal(
    request: HealRequest,
  ): Promise<{ readonly healed: readonly Drill[]; readonly drills: readonly Drill[] }>;
  report(): Promise<FailoverReport>;
}
