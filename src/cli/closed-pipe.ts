/**
 * `sluice queues | head -1`: once `head` has what it wants it closes the pipe, and the next write
 * fails with EPIPE. That is the reader saying "enough", not a failure, so the CLI ends quietly
 * with status 0, as `cat` and `git log` do; any other stream error is still thrown.
 */
interface ErrorEmitter {
  on(event: "error", listener: (error: NodeJS.ErrnoException) => void): unknown;
}

export function exitQuietlyOnClosedPipe(
  streams: readonly ErrorEmitter[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const stream of streams) {
    stream.on("error", (error) => {
      if (error.code === "EPIPE") exit(0);
      else throw error;
    });
  }
}
