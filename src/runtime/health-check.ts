/**
 * The built-in health check route, answered inside the function before the user's handler runs,
 * so a ping proves the function itself is up. A shallow ping answers at once; a deep ping (a
 * tunable share of them) also runs the user's dependency check. Every failure, a wrong or missing
 * checker id included, gives the same answer, so a caller learns nothing about why.
 */
import type { HealthSpec } from "../model/http-api.ts";
import { RuntimeError } from "./errors.ts";
import { isHealthPing, queryParameter } from "./health-event.ts";
import { secretMatches } from "./health-secret.ts";

export type Invoke = (event: unknown, context: object) => Promise<unknown>;
type DeepCheck = (event: unknown, context: object) => unknown;

export interface HealthCheckOptions {
  /** Decides deep or shallow: a ping goes deep when `random() * 100 < deepPercent`. @default Math.random */
  readonly random?: () => number;
  /** Where the checker id, the failure switch and the region are read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The query string parameter that carries the health checker's id (Route 53 cannot send headers). */
export const CHECKER_ID_PARAMETER = "healthCheckerId";

export interface HealthAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const FAILED: HealthAnswer = answer(503, "Unhealthy");

/** Wraps `invoke` so pings of the health route are answered here; other events pass through. */
export function withHealthCheck(
  invoke: Invoke,
  userModule: Record<string, unknown>,
  health: HealthSpec,
  options: HealthCheckOptions = {},
): Invoke {
  const ping = healthResponder(health, deepCheckOf(userModule, health), options);
  return (event, context) =>
    isHealthPing(event, health.path) ? ping(event, context) : invoke(event, context);
}

export function healthResponder(
  health: HealthSpec,
  deepCheck: DeepCheck | undefined,
  options: HealthCheckOptions = {},
): (event: unknown, context: object) => Promise<HealthAnswer> {
  const random = options.random ?? Math.random;
  return async (event, context) => {
    const env = options.env ?? process.env;
    if (!secretMatches(queryParameter(event, CHECKER_ID_PARAMETER), env[health.checkerIdVariable])) {
      console.warn("health check: refused a ping without the right health checker id");
      return FAILED;
    }
    if (/^(true|1)$/i.test(env[health.forceFailVariable] ?? "")) {
      console.warn(`health check: failing on purpose (${health.forceFailVariable} is set)`);
      return FAILED;
    }
    const region = env.AWS_REGION ?? "an unknown region";
    if (deepCheck === undefined || !(random() * 100 < health.deepPercent)) {
      return answer(200, `Shallow hello from ${region}`);
    }
    try {
      if ((await deepCheck(event, context)) === false) {
        console.error("health check: the deep check returned false");
        return FAILED;
      }
    } catch (error) {
      console.error("health check: the deep check failed:", error);
      return FAILED;
    }
    return answer(200, `Deep hello from ${region}`);
  };
}

function deepCheckOf(userModule: Record<string, unknown>, health: HealthSpec): DeepCheck | undefined {
  if (health.deepCheck === undefined) return undefined;
  const found =
    userModule[health.deepCheck] ??
    (userModule.default as Record<string, unknown> | undefined)?.[health.deepCheck];
  if (typeof found === "function") return found as DeepCheck;
  throw new RuntimeError(
    "Sluice.HealthCheckNotFound",
    `health.deepCheck names "${health.deepCheck}", but the handler's module exports no such function; ` +
      `export it (export async function ${health.deepCheck}() { ... }) or remove deepCheck`,
  );
}

function answer(statusCode: number, message: string): HealthAnswer {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify({ message }) };
}
