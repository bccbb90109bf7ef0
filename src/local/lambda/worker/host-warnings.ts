/**
 * Keeps warnings that describe the host rather than the function out of the function's log. An
 * execution environment is a thread of the host's Node, so tooling that checks the Node version
 * warns about the host's version: the AWS SDK for JavaScript v3 printed its
 * NodeVersionSupportWarning in every function's log on a Node 20 host, although the function
 * runs on nodejs24.x and Lambda would never print it. Decided by the warning's name, so warnings
 * the user's code emits (any other name, DeprecationWarning included) stay in the log.
 */

/** The AWS SDK's warnings about the Node version it runs on (older SDKs said NodeDeprecationWarning). */
const SDK_NODE_VERSION_WARNINGS: readonly string[] = ["NodeVersionSupportWarning", "NodeDeprecationWarning"];

export interface HostWarningContext {
  /** The Node.js major of the function's runtime (24 for `nodejs24.x`). */
  readonly runtimeMajor: number;
  /** The Node.js major the host runs. */
  readonly hostMajor: number;
}

/**
 * True when the warning comes from the host's tooling: an AWS SDK Node-version warning, which the
 * SDK emits with its name as the message's prefix or as the warning type; or an
 * ExperimentalWarning while the host runs another Node major than the runtime, since a feature
 * is experimental or not by the host's Node version, not the function's.
 */
export function isHostWarning(
  warning: string | Error,
  type: string | undefined,
  at: HostWarningContext,
): boolean {
  const message = typeof warning === "string" ? warning : warning.message;
  const name = type ?? (typeof warning === "string" ? "Warning" : warning.name);
  const sdk = SDK_NODE_VERSION_WARNINGS.some((known) => name === known || message.startsWith(`${known}:`));
  if (sdk) return true;
  return name === "ExperimentalWarning" && at.runtimeMajor !== at.hostMajor;
}

/** The type `process.emitWarning` was given, in either of its call forms. */
function typeOf(rest: readonly unknown[]): string | undefined {
  const [second] = rest;
  if (typeof second === "string") return second;
  if (typeof second === "object" && second !== null) {
    const type = (second as { type?: unknown }).type;
    return typeof type === "string" ? type : undefined;
  }
  return undefined;
}

/** Drops host warnings at `process.emitWarning`, in this execution environment's thread only. */
export function filterHostWarnings(
  runtime: string,
  hostMajor = Number(process.versions.node.split(".")[0]),
): void {
  const runtimeMajor = Number(/nodejs(\d+)/.exec(runtime)?.[1] ?? hostMajor);
  const at: HostWarningContext = { runtimeMajor, hostMajor };
  const emit = process.emitWarning;
  process.emitWarning = function emitWarning(this: unknown, warning: string | Error, ...rest: unknown[]) {
    if (isHostWarning(warning, typeOf(rest), at)) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
}
