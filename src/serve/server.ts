/**
 * `startServer`: the app's functions (a fleet's, or all) served by this process. The functions
 * run in local/lambda's execution environments, as in `dev` (worker threads, cold and warm starts,
 * timeouts, reserved concurrency; a crash ends its environment, never the server); HTTP goes
 * through local/http's API server, so events and responses are built exactly as `dev` builds them;
 * what functions route is delivered by serve-router.ts; background work (SQS consumers,
 * schedules) plugs in through ServeWork. Shutdown: `/healthz` answers 503 first, background work
 * stops, in-flight invocations get until the deadline on the clock, then everything closes.
 */

import type { ApiBackend } from "../local/apigateway/index.ts";
import { type Clock, SystemClock } from "../local/clock/index.ts";
import { startHttpApi } from "../local/http/index.ts";
import { createLambdaService, type InvokeResult } from "../local/lambda/index.ts";
import type { FunctionSpec } from "../model/app-spec.ts";
import { ASYNC_INVOKE_DEFAULTS, asyncInvokeSettings } from "../model/async-invoke.ts";
import { serveClients } from "./aws-clients.ts";
import { backgroundWork } from "./background-work.ts";
import { fleetSettings, frontDoorSettings } from "./fleet-settings.ts";
import { credentialVariables, functionEnvironment, staticCredentials } from "./function-environment.ts";
import { healthRoute, isHealthRequest } from "./health-route.ts";
import { InFlight } from "./in-flight.ts";
import { refusedInvocation, retryThrottled } from "./invoke-failure.ts";
import { findQueueUrls, linkedQueues } from "./queue-urls.ts";
import type { RunningServer, ServeContext, ServeOptions, ShutdownReport } from "./serve-contract.ts";
import { errorMessage, requestLine, serveLog } from "./serve-log.ts";
import { ServeRouter } from "./serve-router.ts";

/**
 * How long an idle environment stays warm on a server: a day, where dev reclaims after ten
 * minutes. A server is sized for its functions and answers without cold starts.
 */
export const SERVER_IDLE_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { spec } = options.app;
  const settings = fleetSettings(spec, options);
  const clock: Clock = options.clock ?? new SystemClock();
  const log = serveLog(clock, options.log);
  const clients = serveClients(spec.region, options.endpointUrl, staticCredentials(options.environment));
  const served = new Set(settings.functions);
  const lookup = await findQueueUrls(
    spec,
    linkedQueues(spec, settings.functions),
    clients,
    options.stackName,
  ).catch((error: unknown) => {
    clients.destroy();
    throw error;
  });
  for (const { queue, reason } of lookup.missing) {
    log({ level: "warn", event: "discovery", message: `no URL for queue "${queue}": ${reason}` });
  }
  const credentials = credentialVariables(process.env);
  const environments = new Map<string, Record<string, string>>();
  const environment = (name: string): Record<string, string> => {
    let variables = environments.get(name);
    const fn = spec.functions[name];
    if (!variables && fn) {
      variables = functionEnvironment(fn, {
        spec,
        credentials,
        ...(options.endpointUrl === undefined ? {} : { endpointUrl: options.endpointUrl }),
        queueUrls: lookup.urls,
        // SLUICE_FLEET: set only where a fleet serves the function, so code (and tests) can tell.
        extra: {
          ...options.environment,
          ...(options.fleet === undefined ? {} : { SLUICE_FLEET: options.fleet }),
        },
      });
      environments.set(name, variables);
    }
    return variables ?? {};
  };
  const lambda = createLambdaService({
    functions: settings.functions.flatMap((name) => spec.functions[name] ?? []),
    // Transport "local": the host gets each invocation's deliveries and routes them (serve-router.ts).
    code: (fn: FunctionSpec) => ({ ...options.app.code(fn.name), transport: "local" }),
    clock,
    region: spec.region,
    accountId: spec.accountId,
    idleTimeoutMs: SERVER_IDLE_TIMEOUT_MS,
    environment: (fn) => environment(fn.name),
  });
  lambda.onLog((line) =>
    log({
      level: "info",
      event: "log",
      function: line.functionName,
      ...(line.requestId === undefined ? {} : { requestId: line.requestId }),
      message: line.text,
    }),
  );
  const inFlight = new InFlight(clock);
  const router = new ServeRouter({
    spec,
    served,
    environment,
    clients: clients.routes,
    invokeAsync: (name, payload) => {
      // Lambda's Event invoke: the caller does not wait. A throttle waits for room, as Lambda's
      // queue does; a failure is not retried (docs/fidelity.md).
      const fn = spec.functions[name];
      const maxAgeMs = (fn ? asyncInvokeSettings(fn) : ASYNC_INVOKE_DEFAULTS).maximumEventAgeSeconds * 1000;
      void retryThrottled(
        () => invoke(name, payload),
        clock,
        () => stopping,
        maxAgeMs,
      ).then(
        (result) => {
          if (result.functionError !== undefined)
            log({
              level: "error",
              event: "async-invoke",
              function: name,
              requestId: result.requestId,
              message: "function error",
            });
        },
        (error: unknown) =>
          log({ level: "error", event: "async-invoke", function: name, message: errorMessage(error) }),
      );
    },
  });
  const run = async (name: string, payload: string, serialized: boolean): Promise<InvokeResult> => {
    const result = await lambda.invoke(name, { payload, serialized });
    if (result.deliveries.length === 0) return result;
    try {
      await router.deliver(name, result.requestId, result.deliveries);
      return result;
    } catch (error) {
      // On Lambda the wrapper routes inside the invocation: a route that fails fails it.
      log({
        level: "error",
        event: "route",
        function: name,
        requestId: result.requestId,
        message: errorMessage(error),
      });
      const errorType = (error as { code?: string }).code ?? (error as Error).name ?? "Error";
      return {
        ...result,
        functionError: "Unhandled",
        payload: JSON.stringify({ errorType, errorMessage: errorMessage(error) }),
      };
    }
  };
  const invoke = (name: string, payload: string, serialized = false): Promise<InvokeResult> =>
    inFlight.track(run(name, payload, serialized));

  let stopping = false;
  const backend: ApiBackend = {
    spec,
    clock,
    invoke: (name, payload, invokeOptions) => invoke(name, payload, invokeOptions?.serialized === true),
  };
  const front = frontDoorSettings(spec, settings, options);
  let http: Awaited<ReturnType<typeof startHttpApi>>;
  try {
    await lambda.activate();
    for (const state of lambda.functionStates()) {
      if (state.state === "Failed")
        log({
          level: "error",
          event: "function",
          function: state.functionName,
          message: state.stateReason ?? "code failed to load",
        });
    }
    http = await startHttpApi({
      backend: () => backend,
      host: front.host,
      port: settings.port,
      // Behind a load balancer, its front door, any Host passes (docs/security.md).
      anyHost: front.anyHost,
      // Its peer is then the balancer, which appends the client's address to X-Forwarded-For.
      forwardedFor: front.anyHost,
      ...(front.keepAliveMs === undefined ? {} : { keepAliveMs: front.keepAliveMs }),
      serves: (name) => served.has(name),
      // A fleet is reached through the domain's failover record or its load balancer, both of which
      // pass the path as the client sent it: the custom domain's, without the stage (docs/hybrid.md).
      atRoot: true,
      preRoute: healthRoute(() => stopping),
      unavailable: () => stopping,
      onAccess: (access) => {
        const { method, path } = requestLine(access.request);
        log({
          level: isHealthRequest(path) ? "debug" : "info",
          event: "request",
          method,
          path,
          status: access.status,
          ms: Math.round(access.ms * 10) / 10,
        });
      },
    });
  } catch (error) {
    await lambda.close();
    clients.destroy();
    throw error;
  }

  const context: ServeContext = {
    spec,
    clock,
    ...(options.endpointUrl === undefined ? {} : { endpointUrl: options.endpointUrl }),
    invoke: async (name, payload) => {
      try {
        const result = await invoke(name, payload);
        return {
          payload: result.payload,
          ...(result.functionError === undefined ? {} : { functionError: result.functionError }),
        };
      } catch (error) {
        // Throttled, or the service closed: the caller sees a failed invocation, never a throw.
        return refusedInvocation(error);
      }
    },
    log,
  };
  const work = backgroundWork(context, settings, clients.sqs, lookup.urls);
  for (const item of work) item.start();
  log({
    level: "info",
    event: "listening",
    url: http.url,
    port: http.port,
    functions: settings.functions,
    ...(options.fleet === undefined ? {} : { fleet: options.fleet }),
    schedules: settings.schedules,
  });

  let closing: Promise<ShutdownReport> | undefined;
  const close = async (): Promise<ShutdownReport> => {
    stopping = true;
    inFlight.startDraining();
    const deadline = clock.now() + settings.shutdownMs;
    log({ level: "info", event: "stopping", inFlight: inFlight.count, shutdownMs: settings.shutdownMs });
    const reports = await Promise.all(work.map((item) => item.stop(deadline)));
    const drained = await inFlight.drain(deadline);
    await http.close();
    await lambda.close();
    clients.destroy();
    // Every invocation (HTTP, consumers', schedules') is in flight here: counted once, by InFlight.
    const report: ShutdownReport = {
      finished: drained.finished,
      released: reports.reduce((total, item) => total + item.released, 0),
      abandoned: drained.abandoned,
    };
    log({ level: "info", event: "shutdown", ...report });
    return report;
  };
  return {
    url: http.url,
    port: http.port,
    functions: settings.functions,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
