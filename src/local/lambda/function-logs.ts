/**
 * Where a function's log lines go: the tail of the invocation that asked for one, and every
 * listener (the dev session's console, the endpoint's log streams). Lines are delivered as they
 * are written, so a listener sees a slow invocation's output before it ends.
 */
import type { FunctionSpec } from "../../model/app-spec.ts";
import type { Clock } from "../clock/index.ts";
import type { LogLine } from "./types.ts";

export class FunctionLogs {
  private readonly listeners = new Set<(line: LogLine) => void>();

  constructor(private readonly clock: Clock) {}

  onLog(listener: (line: LogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(
    fn: FunctionSpec,
    requestId: string | undefined,
    text: string,
    tail: string[] | undefined,
    timestamp = this.clock.now(),
  ): void {
    tail?.push(text);
    if (this.listeners.size === 0) return;
    const line: LogLine = { functionName: fn.name, requestId, text, timestamp };
    for (const listener of this.listeners) listener(line);
  }
}
