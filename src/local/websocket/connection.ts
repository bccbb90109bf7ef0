/** One open WebSocket connection as the gateway tracks it. */
import type { WebSocket } from "ws";
import type { Timer } from "../clock/index.ts";

export interface Connection {
  readonly connectionId: string;
  readonly socket: WebSocket;
  readonly connectedAt: number;
  lastActiveAt: number;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
  /** The Host the client connected to, for the $disconnect event's headers. */
  readonly host: string;
  /** Set once the gateway or the client started closing; the connection is then gone. */
  closing: boolean;
  /** Set when the client sent a frame over the limit; its message is not dispatched. */
  oversized: boolean;
  /** Set when a regional outage (`sluice fail region`) ended it: the gateway is gone, no $disconnect runs. */
  lostToOutage?: boolean;
  idleTimer: Timer | undefined;
  durationTimer: Timer | undefined;
}

/** The open connections of one WebSocket API, by connection id. */
export class ConnectionRegistry {
  private readonly connections = new Map<string, Connection>();

  add(connection: Connection): void {
    this.connections.set(connection.connectionId, connection);
  }

  /** The connection, if it is open (not closing). */
  get(connectionId: string): Connection | undefined {
    const connection = this.connections.get(connectionId);
    return connection && !connection.closing ? connection : undefined;
  }

  remove(connectionId: string): void {
    this.connections.delete(connectionId);
  }

  all(): Connection[] {
    return [...this.connections.values()];
  }

  get size(): number {
    return this.connections.size;
  }
}
