import type { RouteDelivery } from "../model/app-spec.ts";

/**
 * Where the routing wrapper hands its deliveries. The local execution environment installs one
 * that returns them with the invocation's result; on AWS an SDK transport will.
 */
export interface RouteTransport {
  deliver(deliveries: readonly RouteDelivery[], context?: RouteContext): Promise<void>;
}

/** The invocation whose result is routed: FIFO group and deduplication ids derive from it. */
export interface RouteContext {
  /** The routing function's name in the definition. */
  readonly from: string;
  /** The invocation's request id (`context.awsRequestId`). */
  readonly requestId: string;
}

/** A registry symbol, so the wrapper and the environment agree without importing each other. */
export const TRANSPORT_KEY: unique symbol = Symbol.for("sluice.transport");

type WithTransport = { [TRANSPORT_KEY]?: RouteTransport };

export function installTransport(transport: RouteTransport | undefined): void {
  (globalThis as WithTransport)[TRANSPORT_KEY] = transport;
}

export function installedTransport(): RouteTransport | undefined {
  return (globalThis as WithTransport)[TRANSPORT_KEY];
}
