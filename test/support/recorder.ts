/** Collecting what a service reports, so a test can await a condition on everything seen so far. */

/** Far above any expected wait: a hang fails the test with a message instead of stalling CI. */
const WAIT_LIMIT_MS = 20_000;

export class Recorder<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<() => void>();

  push(item: T): void {
    this.items.push(item);
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once `ready(items)` holds; rejects (naming `what`) if it never does. */
  until(ready: (items: readonly T[]) => boolean, what: string): Promise<void> {
    if (ready(this.items)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`gave up waiting for ${what}; saw ${JSON.stringify(this.items).slice(0, 2000)}`));
      }, WAIT_LIMIT_MS);
      const check = () => {
        if (!ready(this.items)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }
}
