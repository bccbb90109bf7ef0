/**
 * The lines Lambda itself writes around an invocation, in its current format: tab-separated
 * REPORT fields, Init Duration on cold starts only, billed time in 1 ms units including init
 * (Lambda bills the init phase of on-demand functions since August 2025), and a Status field for
 * timeouts and runtime failures.
 */
export interface Report {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Cold starts only. */
  readonly initDurationMs?: number;
  readonly status?: "timeout" | "error";
  readonly errorType?: string;
}

export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export function billedDurationMs(durationMs: number, initDurationMs = 0): number {
  return Math.ceil(durationMs + initDurationMs);
}

// One template, no field array: REPORT is written after every invocation.
export function reportLine(report: Report): string {
  const init = report.initDurationMs;
  return (
    `REPORT RequestId: ${report.requestId}\tDuration: ${report.durationMs.toFixed(2)} ms` +
    `\tBilled Duration: ${billedDurationMs(report.durationMs, init)} ms` +
    `\tMemory Size: ${report.memorySizeMb} MB\tMax Memory Used: ${report.maxMemoryUsedMb} MB` +
    (init === undefined ? "" : `\tInit Duration: ${init.toFixed(2)} ms`) +
    (report.status ? `\tStatus: ${report.status}` : "") +
    (report.errorType ? `\tError Type: ${report.errorType}` : "")
  );
}

export function initReportLine(
  initDurationMs: number,
  status: "timeout" | "error",
  errorType?: string,
): string {
  const fields = [
    `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms`,
    "Phase: init",
    `Status: ${status}`,
  ];
  if (errorType) fields.push(`Error Type: ${errorType}`);
  return fields.join("\t");
}

/** `Task timed out after 3.00 seconds`: the message in both the log line and the error. */
export function timedOutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

export function timedOutLine(timestampMs: number, requestId: string, timeoutSeconds: number): string {
  return `${new Date(timestampMs).toISOString()} ${requestId} ${timedOutMessage(timeoutSeconds)}`;
}

/** Why the runtime process ended, as Lambda words it. */
export function runtimeExitMessage(exit: number | "killed"): string {
  if (exit === "killed") return "Runtime exited with error: signal: killed";
  if (exit === 0) return "Runtime exited without providing a reason";
  return `Runtime exited with error: exit status ${exit}`;
}
