/**
 * The payloads of the last few hops queued in a batch, so that a hop carrying the same text as one
 * of them in its trace (an API request and the invocation it made hold one event) stores a
 * reference instead of a second copy: half the bytes the writer writes per HTTP request.
 * Comparing is cheap: the same event is usually the same string, which V8 compares by pointer.
 */

/** How many recent hops are remembered; a request's hops are recorded within a few of each other. */
const REMEMBERED = 8;
/** Shorter payloads are stored as they are: a reference saves nothing worth a comparison. */
const MIN_SHARED_LENGTH = 64;

export class RecentPayloads {
  private readonly traceIds: (string | undefined)[] = new Array(REMEMBERED).fill(undefined);
  private readonly seqs: number[] = new Array(REMEMBERED).fill(0);
  private readonly payloads: string[] = new Array(REMEMBERED).fill("");
  private next = 0;

  /** The seq of a remembered hop of `traceId` whose payload is `payload`, if any. */
  find(traceId: string, payload: string): number | undefined {
    if (payload.length < MIN_SHARED_LENGTH) return undefined;
    for (let i = 0; i < REMEMBERED; i++) {
      if (this.traceIds[i] === traceId && this.payloads[i] === payload) return this.seqs[i];
    }
    return undefined;
  }

  add(traceId: string, seq: number, payload: string): void {
    if (payload.length < MIN_SHARED_LENGTH) return;
    this.traceIds[this.next] = traceId;
    this.seqs[this.next] = seq;
    this.payloads[this.next] = payload;
    this.next = (this.next + 1) % REMEMBERED;
  }

  /** Forgets every hop (a new batch begins). */
  clear(): void {
    this.traceIds.fill(undefined);
    this.payloads.fill("");
  }
}
