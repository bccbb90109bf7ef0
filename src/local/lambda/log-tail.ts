import { LOG_TAIL_BYTES } from "./limits.ts";

/** The last 4 KB of an invocation's log lines, as `LogType: Tail` returns them (before base64). */
export function logTail(lines: readonly string[]): string {
  const bytes = Buffer.from(`${lines.join("\n")}\n`);
  if (bytes.length <= LOG_TAIL_BYTES) return bytes.toString();
  // Cutting inside a multi-byte character leaves a replacement character, as a byte cut would.
  return bytes.subarray(bytes.length - LOG_TAIL_BYTES).toString();
}
