/**
 * When a long-running command (`sluice dev`, `sluice cloud`, `sluice serve`) should stop: the first
 * SIGTERM or SIGINT, or the parent's IPC channel disconnecting. A parent that spawned the command
 * with an IPC channel (`sluice cloud`'s fleets, fleet-launch.ts; a test harness; an editor's
 * task runner) and then died, perhaps killed with SIGKILL and unable to stop it, leaves a server
 * nobody runs, holding its port and state folder: the channel's end is the sign to close.
 */
export interface StopSignal {
  /** Resolves once the command should stop. */
  readonly signal: Promise<void>;
  /** True when it stops because its parent has gone: nobody reads its output any more. */
  orphaned(): boolean;
  /** Removes the signal handlers (the command has stopped, or failed to start). */
  dispose(): void;
}

/** Installed before the command starts, so a signal while it starts stops it as soon as it is up. */
export function untilStopped(): StopSignal {
  let stop = () => {};
  let orphaned = false;
  const signal = new Promise<void>((resolve) => {
    stop = () => resolve();
  });
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  if (process.channel !== undefined) {
    process.once("disconnect", () => {
      orphaned = true;
      stop();
    });
    // The channel is only a lifeline: it must not keep the process alive once the command is done.
    process.channel.unref();
  }
  return {
    signal,
    orphaned: () => orphaned,
    dispose() {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
    },
  };
}
