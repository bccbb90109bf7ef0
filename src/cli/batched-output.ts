/**
 * `sluice dev` prints four lines per HTTP request (START, END, REPORT, the access line). Node
 * writes each to a file, a pipe or a terminal with a system call of its own
 * (https://nodejs.org/api/process.html#a-note-on-process-io), and a log redirected into the app
 * folder (`sluice dev > dev.log`) also wakes the file watcher once per write. Issue 14 measured
 * that at most of the server's time under load. Lines written in one turn of the event loop (or
 * within a short delay) go out together instead, in the order they were written; what is still
 * buffered when the process exits is written then.
 */
import type { Output } from "./output.ts";

/** Past this many buffered characters the lines go out at once rather than at the end of the turn. */
const FLUSH_AT_CHARS = 64 * 1024;

export interface BatchedOutput extends Output {
  /** Writes what is buffered now. */
  flush(): void;
}

/**
 * @param schedule runs the flush later: at the end of the turn by default. A log file in the app
 *   folder is better served by a short timer, since each write also wakes the folder's watcher.
 */
export function batchedOutput(
  target: Output,
  schedule: (flush: () => void) => void = (flush) => setImmediate(flush),
): BatchedOutput {
  // Consecutive lines for the same stream are joined, so out and err keep their relative order.
  // Joined with the newlines between them only, as the target adds the final one: cutting a final
  // newline off at flush copied the whole batch once more (issue 14).
  const pending: { err: boolean; text: string }[] = [];
  let size = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    size = 0;
    for (const { err, text } of pending.splice(0)) {
      if (err) target.err(text);
      else target.out(text);
    }
  };
  const add = (err: boolean, text: string) => {
    const last = pending[pending.length - 1];
    if (last && last.err === err) last.text += `\n${text}`;
    else pending.push({ err, text });
    size += text.length + 1;
    if (size >= FLUSH_AT_CHARS) flush();
    else if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  };
  process.once("exit", flush);
  return {
    out: (text) => add(false, text),
    err: (text) => add(true, text),
    color: target.color,
    flush,
  };
}
