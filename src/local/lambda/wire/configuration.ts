/** GetFunctionConfiguration's answer for a function of the local cloud, in Lambda's shape. */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import type { AppSpec, FunctionSpec } from "../../../model/app-spec.ts";
import { functionRoleName } from "../../../model/iam/function-grants.ts";
import { functionArn, logGroupName, partition } from "../../../model/naming.ts";
import type { Json } from "../../sqs/index.ts";

/** The bundle a function runs, when the host knows it. */
export interface FunctionCodeFile {
  readonly file: string;
  readonly exportName: string;
}

/** Lambda's state fields, as the Lambda surface reports them (see lambda/function-state.ts). */
export interface StateFields {
  readonly state: string;
  readonly stateReason?: string;
  readonly stateReasonCode?: string;
  readonly lastUpdateStatus: string;
  readonly lastUpdateStatusReason?: string;
  readonly lastUpdateStatusReasonCode?: string;
}

interface CodeFacts {
  readonly size: number;
  readonly sha256: string;
  readonly modifiedMs: number;
}

const facts = new Map<string, CodeFacts & { key: string }>();

function codeFacts(file: string): CodeFacts | undefined {
  try {
    const stat = statSync(file);
    const key = `${stat.mtimeMs}:${stat.size}`;
    const cached = facts.get(file);
    if (cached?.key === key) return cached;
    const sha256 = createHash("sha256").update(readFileSync(file)).digest("base64");
    const fresh = { key, size: stat.size, sha256, modifiedMs: stat.mtimeMs };
    facts.set(file, fresh);
    return fresh;
  } catch {
    return undefined;
  }
}

/** Lambda's timestamp format: `2024-01-31T12:00:00.000+0000`. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

/**
 * Without `state` the function reads Active, its last update Successful. `variables` are the
 * function's own as the Lambda surface holds them (LocalLambdaService.variables: its definition's
 * and any set outside it, such as a drill's forced-failure switch); the definition's without it.
 */
export function functionConfiguration(
  spec: AppSpec,
  fn: FunctionSpec,
  code: FunctionCodeFile | undefined,
  state?: StateFields,
  variables: Readonly<Record<string, string>> = fn.environment,
): Json {
  const file = code ? codeFacts(code.file) : undefined;
  const sha = file?.sha256 ?? createHash("sha256").update(fn.functionName).digest("base64");
  const handler = code ? `${basename(code.file, extname(code.file))}.${code.exportName}` : "index.handler";
  const revision = createHash("sha256")
    .update(`${sha}${JSON.stringify(fn)}${JSON.stringify(variables)}`)
    .digest("hex");
  return {
    FunctionName: fn.functionName,
    FunctionArn: functionArn(spec, fn),
    Runtime: fn.runtime,
    Role: `arn:${partition(spec.region)}:iam::${spec.accountId}:role/${functionRoleName(fn)}`,
    Handler: handler,
    CodeSize: file?.size ?? 0,
    Description: fn.description ?? "",
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memorySize,
    LastModified: lambdaTimestamp(file?.modifiedMs ?? 0),
    CodeSha256: sha,
    Version: "$LATEST",
    ...(Object.keys(variables).length > 0 ? { Environment: { Variables: { ...variables } } } : {}),
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: `${revision.slice(0, 8)}-${revision.slice(8, 12)}-${revision.slice(12, 16)}-${revision.slice(16, 20)}-${revision.slice(20, 32)}`,
    State: state?.state ?? "Active",
    ...(state?.stateReason === undefined ? {} : { StateReason: state.stateReason }),
    ...(state?.stateReasonCode === undefined ? {} : { StateReasonCode: state.stateReasonCode }),
    LastUpdateStatus: state?.lastUpdateStatus ?? "Successful",
    ...(state?.lastUpdateStatusReason === undefined
      ? {}
      : { LastUpdateStatusReason: state.lastUpdateStatusReason }),
    ...(state?.lastUpdateStatusReasonCode === undefined
      ? {}
      : { LastUpdateStatusReasonCode: state.lastUpdateStatusReasonCode }),
    PackageType: "Zip",
    Architectures: ["x86_64"],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    LoggingConfig: { LogFormat: "Text", LogGroup: logGroupName(fn) },
  };
}
