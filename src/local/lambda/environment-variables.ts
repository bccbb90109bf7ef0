/**
 * The variables Lambda sets in an execution environment, plus the function's own and Sluice's
 * extras. The host's own variables are not passed on: a function sees what it would see on AWS.
 */
import { randomBytes } from "node:crypto";
import { basename, dirname, extname } from "node:path";
import type { FunctionSpec } from "../../model/app-spec.ts";

export interface VariableInputs {
  readonly region: string;
  readonly logStreamName: string;
  /** The bundle that runs: its folder is the task root, its name the `_HANDLER` module. */
  readonly file: string;
  readonly exportName: string;
  /** Sluice's extras (endpoint URL, credentials); the function's own variables win over them. */
  readonly extra: Readonly<Record<string, string>>;
  /** The function's own variables (its definition's, and any set outside it): they win over `extra`. */
  readonly own: Readonly<Record<string, string>>;
}

/** Lambda's format: `2026/01/01/[$LATEST]` and 32 hex digits, dated by the host clock (UTC). */
export function logStreamName(nowMs: number): string {
  const day = new Date(nowMs).toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[$LATEST]${randomBytes(16).toString("hex")}`;
}

export function lambdaVariables(fn: FunctionSpec, inputs: VariableInputs): Record<string, string> {
  const module = basename(inputs.file, extname(inputs.file));
  return {
    // Unreserved: a function may override these.
    LANG: "en_US.UTF-8",
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    // Lambda's value. Node.js reads the zone once per process, so the host's zone still applies.
    TZ: ":UTC",
    ...inputs.extra,
    ...inputs.own,
    // Reserved: Lambda refuses a function that sets these, so they always hold.
    _HANDLER: `${module}.${inputs.exportName}`,
    AWS_REGION: inputs.region,
    AWS_DEFAULT_REGION: inputs.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: inputs.logStreamName,
    LAMBDA_TASK_ROOT: dirname(inputs.file),
  };
}
