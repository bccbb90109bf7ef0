/**
 * `sluice serve` (issue 19): the app's functions served by one long-running Node process — HTTP
 * routes, SQS consumers, schedules and routing between the served functions — against AWS (the
 * SDK's credential chain) or a local cloud (`endpointUrl`). The contract between the server's
 * parts: server.ts composes them, consumers/ and schedules/ plug in through `ServeWork`.
 */

import type { Clock } from "../local/clock/index.ts";
import type { AppSpec } from "../model/app-spec.ts";

/** What serve runs: a spec and each function's bundle (the ones `sluice build` made). */
export interface ServedApp {
  /** The spec, normalised for the stage, region and account being served. */
  readonly spec: AppSpec;
  /** A function's bundle file (ESM) and the export holding its wrapped handler. */
  readonly code: (functionName: string) => { readonly file: string; readonly exportName: string };
}

export interface ServeOptions {
  readonly app: ServedApp;
  /**
   * Serve only this fleet's functions (`servers.<fleet>.functions`); its port, schedules and
   * shutdown deadline are the defaults below. @default every function of the app
   */
  readonly fleet?: string;
  /** The AWS endpoint (a local cloud). @default AWS's own endpoints for the spec's region */
  readonly endpointUrl?: string;
  /**
   * The deployed stack whose outputs give the queues' URLs (discovery variables), as the template
   * gives them to the functions on Lambda. @default each queue's URL from SQS GetQueueUrl
   * @example stackName: "shop-prod"
   */
  readonly stackName?: string;
  /** Address to bind. @default "127.0.0.1" (an instance passes 0.0.0.0 behind its load balancer) */
  readonly host?: string;
  /**
   * Accept any Host header: the server sits behind a load balancer, its front door, and sees the
   * balancer's name or the instance's address. Otherwise only loopback names and the bound address
   * pass (local/front-door's HostGuard, against DNS rebinding). Behind the balancer an event's
   * sourceIp is the client's address the balancer appended to X-Forwarded-For.
   * @default true when `host` is a wildcard address (0.0.0.0, ::), else false
   */
  readonly allowAnyHost?: boolean;
  /** @default the fleet's port, else 0 (a free one) */
  readonly port?: number;
  /** Run the served functions' schedules. @default the fleet's `schedules`, else false */
  readonly schedules?: boolean;
  /** Milliseconds SIGTERM's shutdown waits for in-flight work. @default the fleet's shutdownSeconds × 1000, else 30000 */
  readonly shutdownMs?: number;
  /**
   * Extra variables for every function (credentials and endpoint for a local cloud). When it sets
   * AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), the server's own AWS calls
   * (SQS polling, GetQueueUrl, STS) sign with them too: `sluice dev` runs fleets in its own process,
   * whose environment holds no credentials for its endpoint.
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** Structured log lines; the CLI prints each as one JSON line. @default dropped */
  readonly log?: (entry: ServeLogEntry) => void;
  /** @default the system clock (tests inject a manual one for schedules and deadlines) */
  readonly clock?: Clock;
}

export interface ServeLogEntry {
  /** ISO 8601 time on the serve clock. */
  readonly time: string;
  readonly level: "debug" | "info" | "warn" | "error";
  /** What happened, e.g. "listening", "request", "batch", "schedule", "shutdown", "log". */
  readonly event: string;
  readonly function?: string;
  readonly message?: string;
  readonly [field: string]: unknown;
}

export interface RunningServer {
  /** `http://host:port` of the HTTP routes and `/healthz`. */
  readonly url: string;
  readonly port: number;
  /** Functions served, by definition name. */
  readonly functions: readonly string[];
  /**
   * Graceful shutdown (what SIGTERM does): stop polling and accepting requests, let in-flight
   * work finish within the deadline, release unfinished messages (visibility 0), then close.
   */
  close(): Promise<ShutdownReport>;
}

export interface ShutdownReport {
  /** Invocations that finished during the shutdown. */
  readonly finished: number;
  /** Messages released back to their queues unprocessed. */
  readonly released: number;
  /** Invocations still running at the deadline (their messages return after their visibility). */
  readonly abandoned: number;
}

/** What the server gives each kind of background work (consumers, schedules). */
export interface ServeContext {
  readonly spec: AppSpec;
  readonly clock: Clock;
  /** The AWS endpoint, when not AWS's own. */
  readonly endpointUrl?: string;
  /**
   * Invoke a served function (its concurrency kept) and route its result as Lambda would;
   * a crash or error comes back as `functionError`, never as a thrown error.
   */
  invoke(functionName: string, payload: string): Promise<ServeInvokeResult>;
  log(entry: Omit<ServeLogEntry, "time">): void;
}

export interface ServeInvokeResult {
  readonly payload: string;
  readonly functionError?: "Unhandled";
  /**
   * Lambda's throttle (429 TooManyRequestsException): the function never ran, so a mapping tries
   * the batch again. Set by the server only: a function's own error of that name is a function error.
   */
  readonly throttled?: true;
}

/** One kind of background work of a running server. */
export interface ServeWork {
  start(): void;
  /**
   * Stop taking new work; resolve once in-flight work finished or `deadlineMs` passed on the clock.
   * `deadlineMs` is a time on `ServeContext.clock` (epoch ms: `clock.now() + shutdownMs`), not a duration.
   */
  stop(deadlineMs: number): Promise<Omit<ShutdownReport, "finished"> & { readonly finished: number }>;
}
