/**
 * What a fleet's Application Load Balancer and `sluice serve` behind it must agree on, read by
 * synth (aws/resources/server-fleet-network.ts) and the server (serve/fleet-settings.ts); the
 * health check's path and numbers are in fleet-health-check.ts.
 */
import type { AppSpec } from "./app-spec.ts";
import { LIMITS } from "./limits.ts";

/** What the idle timeout adds to the longest function timeout: the answer's time on the wire. */
const IDLE_MARGIN_SECONDS = 5;

/**
 * Seconds the load balancer lets a connection idle: ELB's default, or the longest timeout of the
 * served functions and a margin, within ELB's bounds (limits.ts `elb.idleTimeoutSeconds`).
 */
export function loadBalancerIdleSeconds(spec: AppSpec, functions: readonly string[]): number {
  const row = LIMITS.elb.idleTimeoutSeconds;
  const longest = Math.max(0, ...functions.map((name) => spec.functions[name]?.timeoutSeconds ?? 0));
  return Math.min(row.max, Math.max(row.default, longest + IDLE_MARGIN_SECONDS));
}

/**
 * What the server's HTTP keep-alive adds to the load balancer's idle timeout. ELB asks targets to
 * keep idle connections open longer than it does, so the balancer is the one that closes them:
 * a target that closes first may get a request on the closing connection, which the client sees
 * as a 502
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout).
 */
const KEEP_ALIVE_MARGIN_SECONDS = 5;

/** Milliseconds a server behind the load balancer keeps an idle connection open. */
export function serverKeepAliveMs(spec: AppSpec, functions: readonly string[]): number {
  return (loadBalancerIdleSeconds(spec, functions) + KEEP_ALIVE_MARGIN_SECONDS) * 1000;
}
