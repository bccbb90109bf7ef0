/**
 * What a user writes for a multi-region app with regional failover (`sluice.config.ts`): the
 * regions it runs in, the domain Route 53 answers for it, and each Route 53 health check of a
 * function's health route. Normalised into `RegionsSpec`, `DomainSpec` and `Route53HealthSpec`
 * (app-spec.ts and http-api.ts) by validate/failover.ts.
 */

/**
 * The regions the app runs in. Each gets the whole app (its own stack, locally its own cloud);
 * the primary answers first under `routing: "failover"` and holds the global stack's resources.
 */
export interface RegionsDefinition {
  /** @example primary: "us-east-1" */
  primary: string;
  /**
   * The other regions, at least one. Failover routing takes exactly one (Route 53's failover
   * records are one PRIMARY and one SECONDARY); latency routing takes any number.
   * @example secondary: ["us-west-2"]
   */
  secondary: readonly string[];
}

/** Route 53 routing policies Sluice generates for the app's domain. */
export type DomainRouting = "failover" | "latency";

/**
 * The custom domain of the app's HTTP API in every region, answered by Route 53 per `routing`
 * and the health of each region's health check.
 */
export interface DomainDefinition {
  /** The API's host name. @example name: "api.example.com" */
  name: string;
  /** The Route 53 public hosted zone `name` is in (it must end with it). @example hostedZone: "example.com" */
  hostedZone: string;
  /**
   * `failover`: the primary while its health check is healthy, else the secondary.
   * `latency`: the healthy region with the lowest latency to the caller.
   * @example routing: "failover"
   */
  routing: DomainRouting;
}

/** The Route 53 health check that calls a function's health route in each region. */
export interface Route53HealthDefinition {
  /** How often each Route 53 checker calls: "10 seconds" (fast) or "30 seconds". @default "30 seconds" */
  interval?: "10 seconds" | "30 seconds";
  /** Consecutive results, 1–10, that change the check's status. @default 3 */
  failureThreshold?: number;
  /**
   * Who is emailed (an SNS email subscription) when a region's check alarms.
   * @default no alarm notifications
   * @example alarmEmail: "ops@example.com"
   */
  alarmEmail?: string;
}

/**
 * Every region the app runs in, primary first; the spec's own region when it names no `regions`.
 * Takes an AppSpec; its shape is spelt out, since app-spec.ts imports this file's neighbours
 * (importing AppSpec here made a type cycle model/app-spec → http-api → failover → app-spec).
 */
export function appRegions(spec: {
  readonly region: string;
  readonly regions?: { readonly primary: string; readonly secondary: readonly string[] };
}): readonly string[] {
  return spec.regions === undefined ? [spec.region] : [spec.regions.primary, ...spec.regions.secondary];
}

/**
 * The function whose health route Route 53 checks (the model allows one), if any: the check dev
 * runs locally and deploy puts in the global stack. Generic over the function's shape for the
 * same reason as appRegions (no import of app-spec.ts here).
 */
export function route53HealthFunction<F extends { readonly health?: { readonly route53?: unknown } }>(spec: {
  readonly functions: Readonly<Record<string, F>>;
}): F | undefined {
  return Object.values(spec.functions).find((fn) => fn.health?.route53 !== undefined);
}
