/**
 * The client's side of poll to push, as the examples' tests drive it: what `POST /queries` answers,
 * what the app pushes on the WebSocket, and a `ws` client whose messages are read in order.
 */
import WebSocket from "ws";

export interface Started {
  readonly executionArn: string;
  readonly taskToken: string;
}
export interface Pushed {
  readonly type: "accepted" | "result" | "error";
  readonly url?: string;
  readonly executionArn?: string;
  readonly message?: string;
}

/** A WebSocket client whose messages are read in order with `next()`. */
export interface Socket {
  send(message: unknown): void;
  /** The next message; `what` names it in the error when none comes. */
  next(what: string): Promise<Pushed>;
  close(): Promise<void>;
}

export function connect(url: string): Promise<Socket> {
  const ws = new WebSocket(url);
  const received: Pushed[] = [];
  const waiting: ((message: Pushed) => void)[] = [];
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as Pushed;
    const wake = waiting.shift();
    if (wake) wake(message);
    else received.push(message);
  });
  const socket: Socket = {
    send: (message) => ws.send(JSON.stringify(message)),
    next: (what) =>
      new Promise((resolve, reject) => {
        const ready = received.shift();
        if (ready) return resolve(ready);
        // Real time, not the app's clock: the socket function may be a cold start (it loads two
        // SDK clients) on a busy machine. Only a broken app waits this long.
        const timer = setTimeout(
          () => reject(new Error(`no ${what} message on the WebSocket within 60 s`)),
          60_000,
        );
        waiting.push((message) => {
          clearTimeout(timer);
          resolve(message);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once("close", () => resolve());
        ws.close(1000, "done");
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(socket));
    ws.once("error", reject);
  });
}
