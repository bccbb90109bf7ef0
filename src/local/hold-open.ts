/**
 * Keeps the process's event loop open while `work` runs.
 *
 * A close waits on things that need not hold the loop themselves: a warm Lambda worker or the
 * trace writer is unref'd so an idle cloud never keeps its host alive, and clock timers are
 * unref'd for the same reason. When everything else has ended (a test's last `after` hook, a CLI
 * command's shutdown), the loop could drain while a close still waits, and Node ends the process
 * with the close unfinished: CI saw this in a test's `after` hook (session 4, and again in
 * session 12's run). A ref'd timer for the close's duration rules that out: the close finishes,
 * or hangs where a timeout names it.
 */
export async function holdingProcessOpen<T>(work: () => Promise<T>): Promise<T> {
  // Its callback never needs to run: it is the handle, not the timer, that holds the loop open.
  const hold = setInterval(() => undefined, 60_000);
  try {
    return await work();
  } finally {
    clearInterval(hold);
  }
}
