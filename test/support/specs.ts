/**
 * Specs as the model normalises them, for tests that build services without a definition: one
 * factory per resource, AWS's defaults filled in, any field overridable (as Powertools'
 * `tests/helpers/factories.ts` does for events).
 */
import type { FunctionSpec, QueueSpec } from "../../src/model/app-spec.ts";

/** A function `app-<name>` running `src/<name>`'s `handler`, with Lambda's defaults. */
export function functionSpec(name: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name,
    functionName: `app-${name}`,
    handler: { module: `src/${name}`, export: "handler" },
    runtime: "nodejs22.x",
    memorySize: 128,
    timeoutSeconds: 3,
    environment: {},
    routes: { kind: "none" },
    ...overrides,
  };
}

/**
 * A function running `exportName` of test/fixtures/apps/event-handlers/handlers.mjs. Long
 * timeout: held invocations outlive clock moves.
 */
export function handlerSpec(
  name: string,
  exportName: string,
  overrides: Partial<FunctionSpec> = {},
): FunctionSpec {
  return functionSpec(name, {
    handler: { module: "handlers", export: exportName },
    timeoutSeconds: 900,
    ...overrides,
  });
}

/** A queue `app-<name>` (`.fifo` when FIFO), with SQS's defaults. */
export function queueSpec(name: string, overrides: Partial<QueueSpec> = {}): QueueSpec {
  const fifo = overrides.fifo ?? false;
  return {
    name,
    queueName: `app-${name}${fifo ? ".fifo" : ""}`,
    fifo,
    visibilityTimeoutSeconds: 30,
    delaySeconds: 0,
    retentionSeconds: 345_600,
    maxMessageSize: 1_048_576,
    receiveWaitTimeSeconds: 0,
    contentBasedDeduplication: false,
    generated: false,
    ...overrides,
  };
}
