/**
 * An HTTP endpoint a fixture handler fetches to wait (`GATE_URL`, optionally `?id=`): the handler
 * stays in flight until the test releases its id, or opens the gate for everyone. Counts how many
 * wait at once, which bounds the invocations in flight from below.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Recorder } from "./recorder.ts";

export class HoldGate {
  readonly url: string;
  /** Ids in the order they arrived (`""` for a handler that gave none). */
  readonly arrivals = new Recorder<string>();
  maxWaiting = 0;
  private readonly waiting = new Map<string, ServerResponse[]>();
  private opened = false;

  private constructor(private readonly server: ReturnType<typeof createServer>) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  static async open(): Promise<HoldGate> {
    let gate: HoldGate | undefined;
    const server = createServer((request, response) => {
      const id = new URL(request.url ?? "/", "http://gate").searchParams.get("id") ?? "";
      gate?.arrive(id, response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    gate = new HoldGate(server);
    return gate;
  }

  /** Ids waiting now. */
  get held(): string[] {
    return [...this.waiting.entries()].flatMap(([id, list]) => list.map(() => id));
  }

  /** Resolves once `count` handlers have arrived in total. */
  arrived(count: number): Promise<void> {
    return this.arrivals.until((ids) => ids.length >= count, `${count} arrivals at the gate`);
  }

  /** Lets the handlers waiting with `id` go on; without an id, opens the gate (see `open`). */
  release(id?: string): void {
    if (id === undefined) {
      this.open();
      return;
    }
    const list = this.waiting.get(id) ?? [];
    this.waiting.delete(id);
    for (const response of list) response.end("go");
  }

  /** Lets everyone go, now and later. */
  open(): void {
    this.opened = true;
    for (const id of [...this.waiting.keys()]) this.release(id);
  }

  close(): Promise<void> {
    this.open();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private arrive(id: string, response: ServerResponse): void {
    if (this.opened) {
      response.end("go");
      this.arrivals.push(id);
      return;
    }
    this.waiting.set(id, [...(this.waiting.get(id) ?? []), response]);
    this.maxWaiting = Math.max(this.maxWaiting, this.held.length);
    this.arrivals.push(id);
  }
}
