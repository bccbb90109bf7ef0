/**
 * Which regions `sluice dev` runs and each region's spec. An app whose definition names `regions`
 * (or a `--regions` list) runs one local cloud per region, each normalised for its region (bucket
 * names carry it; table and function names do not, so a global table has one name everywhere),
 * with its state under `.sluice/regions/<region>/`. Otherwise dev runs the one region it always
 * has, on `.sluice/state.sqlite`.
 */
import { join } from "node:path";
import type { AppSpec, FunctionSpec } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { appRegions } from "../model/failover.ts";
import { normaliseApp } from "../model/normalise.ts";
import { isAwsRegion } from "../model/regions.ts";
import { CHECKER_ID_PARAMETER } from "../model/validate/failover-rules.ts";

export interface DevRegions {
  /** Every region dev runs, the primary first. */
  readonly regions: readonly string[];
  /** Whether dev runs one cloud per region (state under `.sluice/regions/`). */
  readonly multiRegion: boolean;
}

/**
 * The regions to run: `asked` (`--regions`, which overrides the definition) or the definition's.
 * Throws SLUICE_REGIONS naming every entry that is not an AWS Region code (they become folder
 * names), or when fewer than two distinct regions are asked.
 */
export function devRegions(spec: AppSpec, asked?: readonly string[]): DevRegions {
  if (asked === undefined) {
    return { regions: appRegions(spec), multiRegion: spec.regions !== undefined };
  }
  const regions = [...new Set(asked.map((r) => r.trim()).filter((r) => r.length > 0))];
  const wrong = regions.filter((r) => !isAwsRegion(r));
  if (wrong.length > 0) {
    throw new SluiceError(
      "SLUICE_REGIONS",
      `--regions takes AWS Region codes, comma-separated (such as us-east-1,us-west-2); ${wrong.map((r) => `"${r}"`).join(", ")} ${wrong.length === 1 ? "is not one" : "are not"}`,
      { context: { regions: wrong } },
    );
  }
  if (regions.length < 2) {
    throw new SluiceError(
      "SLUICE_REGIONS",
      `--regions takes at least two Region codes, the primary first (such as us-east-1,us-west-2); got "${asked.join(",")}"`,
    );
  }
  return { regions, multiRegion: true };
}

/** Throws SLUICE_REGIONS when `--latency` names a region dev does not run (a typo would be ignored). */
export function checkLatencies(
  latencies: Readonly<Record<string, number>> | undefined,
  regions: readonly string[],
): void {
  const unknown = Object.keys(latencies ?? {}).filter((region) => !regions.includes(region));
  if (unknown.length === 0) return;
  throw new SluiceError(
    "SLUICE_REGIONS",
    `--latency names regions dev does not run: ${unknown.map((r) => `"${r.slice(0, 40)}"`).join(", ")}; it runs ${regions.join(", ")}`,
    { context: { regions: unknown } },
  );
}

/** The folder of a region's state; the name was checked by isAwsRegion first. */
export function regionStateDir(stateDir: string, region: string, multiRegion: boolean): string {
  if (!multiRegion) return stateDir;
  if (!isAwsRegion(region)) throw new Error(`not an AWS Region: ${region}`);
  return join(stateDir, "regions", region);
}

/**
 * Each region's spec, keyed by region in `regions`' order. Single-region: the loaded spec as is,
 * under the session's one region even when a reload changed the definition's `region` (the one
 * cloud then restarts in the new region on the same state, as dev always has).
 * A `--regions` list the definition does not name becomes the specs' `regions`, so every reader of
 * `spec.regions` (appRegions) sees the regions dev runs.
 */
export function regionSpecs(
  definition: unknown,
  loaded: AppSpec,
  { regions, multiRegion }: DevRegions,
): ReadonlyMap<string, AppSpec> {
  if (!multiRegion) return new Map([[regions[0] as string, loaded]]);
  const [primary, ...secondary] = regions as [string, ...string[]];
  const sameRegions =
    loaded.regions !== undefined &&
    loaded.regions.primary === primary &&
    loaded.regions.secondary.join() === secondary.join();
  return new Map(
    regions.map((region) => {
      const spec = normaliseApp(definition, { region });
      return [region, sameRegions ? spec : Object.freeze({ ...spec, regions: { primary, secondary } })];
    }),
  );
}

/**
 * The health checker id of a session: one random secret, which Route 53's checks locally send as
 * `?healthCheckerId=` and every region's health function expects in its `checkerIdVariable`
 * (unless the definition sets that variable itself, whose value then stands).
 */
export class HealthCheckerSecret {
  // Web Crypto's global (dev's layer uses no node:crypto): 122 random bits.
  readonly value = globalThis.crypto.randomUUID().replaceAll("-", "");

  /** Extra variables for `fn`'s environment: the secret, for a Route 53-checked health function. */
  environment(fn: FunctionSpec): Record<string, string> {
    const health = fn.health;
    if (health?.route53 === undefined) return {};
    if (fn.environment[health.checkerIdVariable] !== undefined) return {};
    return { [health.checkerIdVariable]: this.value };
  }

  /** The id the checks send for `fn`: the definition's value when it sets one. */
  checkerId(fn: FunctionSpec): string {
    const health = fn.health;
    return (health && fn.environment[health.checkerIdVariable]) || this.value;
  }
}

const CHECKER_ID_IN_QUERY = new RegExp(`([?&]${CHECKER_ID_PARAMETER}=)[^&#\\s]*`, "gi");

/**
 * A request line without the health checker id's value: Route 53's pings (and anyone testing the
 * health route) carry the secret in the query, which no event, and so no log line, may carry.
 */
export function withoutCheckerId(request: string): string {
  // Every access line comes here: one without `?` or `&` has no parameter to hide.
  if (!request.includes("?") && !request.includes("&")) return request;
  return request.replace(CHECKER_ID_IN_QUERY, "$1…");
}
