/**
 * Starting execution environments: a worker on a function's code with Lambda's variables, and
 * waiting for its init within Lambda's limit. Invocations, provisioned concurrency and code checks
 * all start theirs here.
 */
import type { FunctionSpec } from "../../model/app-spec.ts";
import { after, type Clock } from "../clock/index.ts";
import { Environment, type InitOutcome } from "./environment.ts";
import { lambdaVariables, logStreamName } from "./environment-variables.ts";
import type { FunctionLogs } from "./function-logs.ts";
import type { FunctionCode, FunctionPool } from "./function-pool.ts";
import { functionArn } from "./function-registry.ts";
import { INIT_TIMEOUT_MS } from "./limits.ts";
import { workerScriptPath } from "./worker/path.ts";

export interface EnvironmentFactoryDependencies {
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  /** Extra variables for a function's environment (see LambdaServiceOptions.environment). */
  readonly environment?: (fn: FunctionSpec) => Record<string, string>;
  /** The function's own variables: its definition's and any set outside it (LocalLambdaService.variables). */
  readonly variables: (fn: FunctionSpec) => Record<string, string>;
  /** A CA certificate (PEM) every environment trusts (see LambdaServiceOptions.trustedCa). */
  readonly trustedCa?: string;
  readonly logs: FunctionLogs;
}

export interface CreateEnvironmentOptions {
  /** A code check's init logs stay out of the function's log: no invocation asked for them. */
  readonly quiet?: boolean;
  readonly provisioned?: boolean;
}

export class EnvironmentFactory {
  constructor(private readonly deps: EnvironmentFactoryDependencies) {}

  create(pool: FunctionPool, code: FunctionCode, opts: CreateEnvironmentOptions = {}): Environment {
    const { fn } = pool;
    const { clock, region, accountId, logs } = this.deps;
    const now = clock.now();
    const stream = logStreamName(now);
    return new Environment({
      fn,
      generation: pool.generation,
      workerPath: workerScriptPath(),
      logStreamName: stream,
      init: {
        file: code.file,
        exportName: code.exportName,
        ...(code.transport === "aws" ? { transport: "aws" as const } : {}),
        functionArn: functionArn(region, accountId, fn.functionName),
        runtime: fn.runtime,
        hostNowMs: now,
        ...(this.deps.trustedCa === undefined ? {} : { trustedCa: this.deps.trustedCa }),
      },
      variables: initializationType(
        lambdaVariables(fn, {
          region,
          logStreamName: stream,
          file: code.file,
          exportName: code.exportName,
          extra: this.deps.environment?.(fn) ?? {},
          own: this.deps.variables(fn),
        }),
        opts.provisioned === true,
      ),
      onLog: (env, text, timestamp) => {
        if (opts.quiet !== true) logs.emit(fn, env.requestId, text, env.tail, timestamp);
      },
      onEnd: (env) => pool.forget(env),
    });
  }

  /** Waits for init; Lambda's 10 s init limit plus the function timeout bound it on the clock. */
  initialise(env: Environment, fn: FunctionSpec): Promise<InitOutcome> {
    return new Promise((resolve) => {
      const limitMs = initLimitMs(fn);
      const timer = after(this.deps.clock, limitMs, () => {
        resolve({ ok: false, initMs: limitMs, failure: { kind: "timeout" } });
        void env.terminate();
      });
      void env.ready.then((outcome) => {
        timer.cancel();
        resolve(outcome);
      });
    });
  }
}

export function initLimitMs(fn: FunctionSpec): number {
  return INIT_TIMEOUT_MS + fn.timeoutSeconds * 1000;
}

/** Provisioned environments tell the code how they were started, as Lambda's do. */
function initializationType(variables: Record<string, string>, provisioned: boolean): Record<string, string> {
  return provisioned
    ? { ...variables, AWS_LAMBDA_INITIALIZATION_TYPE: "provisioned-concurrency" }
    : variables;
}
