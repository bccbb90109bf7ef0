/**
 * Plain HTTP and HTTPS on one port: the first byte of a connection says which (22 opens every TLS
 * handshake; no HTTP method starts with it). A TLS connection is decrypted here and then handed to
 * the same `http.Server` as a plain one, so routes, Host checks, timeouts and WebSocket upgrades
 * are written once and `http://`, `https://`, `ws://` and `wss://` all reach them.
 */
import type { Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { Duplex } from "node:stream";
import { type SecureContext, TLSSocket } from "node:tls";

/** The first byte of a TLS record of type handshake (RFC 8446 §5.1). */
const TLS_HANDSHAKE = 0x16;

export interface SharedPortOptions {
  /** The context for a new TLS connection; asked per connection, so a new certificate applies at once. */
  readonly secureContext: () => SecureContext | Promise<SecureContext>;
  /**
   * How long a client may take to send its first byte and to finish the TLS handshake.
   * @default 10000
   * @example handshakeTimeoutMs: 2000
   */
  readonly handshakeTimeoutMs?: number;
}

/** The listener a server listens on in place of `http`; see `close` for ending it. */
export interface SharedPortListener {
  readonly server: Server;
  /** Stops listening and ends connections not yet handed to `http` (ending `http`'s is its owner's job). */
  close(): Promise<void>;
}

export function sharedPortListener(http: HttpServer, options: SharedPortOptions): SharedPortListener {
  /** Connections still here: before their first byte, or in their TLS handshake. */
  const waiting = new Set<Socket>();
  const timeoutMs = options.handshakeTimeoutMs ?? 10_000;
  const handOver = (socket: Socket, connection: Duplex): void => {
    waiting.delete(socket);
    socket.setTimeout(0);
    http.emit("connection", connection);
  };
  const server = createServer((socket) => {
    waiting.add(socket);
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on("error", () => undefined);
    socket.once("close", () => waiting.delete(socket));
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      if (chunk[0] !== TLS_HANDSHAKE) {
        // The socket itself (its address, its native fast path) goes to the HTTP server.
        socket.unshift(chunk);
        handOver(socket, socket);
        process.nextTick(() => socket.resume());
        return;
      }
      new Promise<SecureContext>((resolve) => resolve(options.secureContext())).then(
        (context) => acceptTls(socket, chunk, context, (secure) => handOver(socket, secure)),
        () => socket.destroy(),
      );
    });
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of waiting) socket.destroy();
        waiting.clear();
      }),
  };
}

function acceptTls(
  socket: Socket,
  chunk: Buffer,
  context: SecureContext,
  ready: (secure: TLSSocket) => void,
): void {
  if (socket.destroyed) return;
  // TLSSocket reads a net.Socket's native handle directly, which would skip the chunk read
  // here; a plain Duplex over the socket makes it read through JavaScript, chunk included.
  const secure = new TLSSocket(socketStream(socket, chunk), {
    isServer: true,
    secureContext: context,
    ALPNProtocols: ["http/1.1"],
  });
  // Over a JavaScript stream the TLS socket has no peer of its own: it reports the client's.
  for (const name of ["remoteAddress", "remotePort", "remoteFamily"] as const)
    Object.defineProperty(secure, name, { value: socket[name], configurable: true });
  secure.on("error", () => secure.destroy());
  secure.once("close", () => socket.destroy());
  secure.once("secure", () => ready(secure));
}

function socketStream(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => {
      socket.resume();
    },
    write: (chunk: Buffer, _encoding, callback) => {
      socket.write(chunk, callback);
    },
    final: (callback) => {
      socket.end(callback);
    },
    destroy: (error, callback) => {
      socket.destroy();
      callback(error);
    },
  });
  stream.push(first);
  socket.on("data", (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.once("end", () => stream.push(null));
  socket.once("close", () => stream.destroy());
  return stream;
}
