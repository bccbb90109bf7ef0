/**
 * A real DNS server for the local Route 53 (the `dns2` package), UDP and TCP on one port, as DNS
 * serves both (RFC 7766): `dig @127.0.0.1 -p <port> api.example.com`, or a resolver pointed at it,
 * sees the failover happen. It binds 127.0.0.1 by default and answers only the engine's names
 * (NXDOMAIN for the rest), so it is no open resolver. A malformed packet gets no answer (UDP) or
 * closes its connection (TCP); nothing a client sends can stop the server.
 * Every packet passes `plausibleQuery` before dns2 parses it: dns2 tries to read as many records
 * as the header claims, at tens of microseconds per failed record, so a 12-byte header claiming
 * 65 535 of each held the event loop (every local server of the process) for seconds. That is
 * why TCP is framed here rather than by dns2's TCPServer, whose parse cannot be guarded.
 */
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { Packet, UDPServer } from "dns2";
import { type DnsZone, dnsAnswer, RCODE } from "./dns-answer.ts";

export interface DnsServerOptions {
  readonly engine: DnsZone;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** One port for UDP and TCP. @default 0 (a free port, the same for both) */
  readonly port?: number;
}

export interface DnsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Attempts at finding a port free for both UDP and TCP when any port will do. */
const PORT_ATTEMPTS = 20;
/** RFC 1035 §4.2.1's UDP message size: a query (one question, an OPT record) never needs more. */
const MAX_QUERY_BYTES = 512;
/** Records a query may carry besides its question: OPT (RFC 6891), perhaps a TSIG or a cookie's. */
const MAX_QUERY_RECORDS = 4;
/** RFC 7766 §6.2.3's recommended idle timeout of a TCP connection. */
const TCP_IDLE_MS = 10_000;

/**
 * A packet worth parsing (RFC 1035 §4.1.1): a whole header, not a response, one question at
 * most and a handful of other records, within a query's size. Anything else is dropped unread.
 */
function plausibleQuery(data: Buffer): boolean {
  if (data.length < 12 || data.length > MAX_QUERY_BYTES) return false;
  if (((data[2] ?? 0) & 0x80) !== 0) return false;
  const records = data.readUInt16BE(6) + data.readUInt16BE(8) + data.readUInt16BE(10);
  return data.readUInt16BE(4) <= 1 && records <= MAX_QUERY_RECORDS;
}

/** dns2's UDP server, with every datagram vetted before dns2 parses it. */
class QueryUdpServer extends UDPServer {
  override handle(data: Buffer, rinfo: Parameters<UDPServer["handle"]>[1]): void {
    if (plausibleQuery(data)) super.handle(data, rinfo);
  }
}

export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const host = options.host ?? "127.0.0.1";
  const handle = (request: Packet, send: (response: Packet) => unknown): void => {
    let response: Packet | undefined;
    try {
      response = dnsAnswer(request, options.engine);
    } catch {
      response = Packet.createResponseFromRequest(request);
      response.questions = [];
      response.header.rcode = RCODE.SERVFAIL;
    }
    if (response === undefined) return;
    try {
      // UDP's send returns a promise, TCP's writes at once; a client gone before its answer is no error.
      Promise.resolve(send(response)).catch(() => {});
    } catch {
      // As above, thrown synchronously.
    }
  };
  let lastError: unknown;
  for (let attempt = 0; attempt < (options.port ? 1 : PORT_ATTEMPTS); attempt++) {
    const sockets = new Set<Socket>();
    const tcp = createServer({ allowHalfOpen: true }, (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      serveTcp(socket, handle);
    });
    const udp = new QueryUdpServer({ type: host.includes(":") ? "udp6" : "udp4" });
    udp.on("request", handle);
    // Requests that do not parse are dropped; without a listener these would be unhandled.
    udp.on("requestError", () => {});
    try {
      await listenTcp(tcp, options.port ?? 0, host);
      const port = (tcp.address() as AddressInfo).port;
      await bindUdp(udp, port, host);
      tcp.on("error", () => {});
      udp.on("error", () => {});
      return { port, close: () => closeBoth(tcp, udp, sockets) };
    } catch (error) {
      lastError = error;
      await closeBoth(tcp, udp, sockets);
    }
  }
  throw lastError;
}

/**
 * One TCP connection: length-prefixed messages (RFC 1035 §4.2.2), answered in order, pipelining
 * allowed (RFC 7766 §6.2.1.1). A frame that is no plausible query, or does not parse, closes the
 * connection; so does a connection idle for TCP_IDLE_MS or a frame longer than a query can be.
 */
function serveTcp(socket: Socket, handle: (request: Packet, send: (response: Packet) => void) => void): void {
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
  socket.on("error", () => {});
  socket.on("end", () => socket.end());
  let buffered: Buffer = Buffer.alloc(0);
  const send = (response: Packet): void => {
    const message = response.toBuffer();
    const length = Buffer.alloc(2);
    length.writeUInt16BE(message.length);
    if (socket.writable) socket.write(Buffer.concat([length, message]));
  };
  socket.on("data", (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const size = buffered.readUInt16BE(0);
      if (size > MAX_QUERY_BYTES) return void socket.destroy();
      if (buffered.length < 2 + size) break;
      const message = buffered.subarray(2, 2 + size);
      buffered = buffered.subarray(2 + size);
      let request: Packet;
      try {
        if (!plausibleQuery(message)) return void socket.destroy();
        request = Packet.parse(message);
      } catch {
        return void socket.destroy();
      }
      handle(request, send);
    }
    // A client that pipelines queries without reading the answers is not read until it does.
    if (socket.writableNeedDrain) {
      socket.pause();
      socket.once("drain", () => socket.resume());
    }
  });
}

function listenTcp(tcp: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(port, host, () => {
      tcp.off("error", reject);
      resolve();
    });
  });
}

function bindUdp(udp: UDPServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(port, host, () => {
      udp.off("error", reject);
      resolve();
    });
  });
}

async function closeBoth(tcp: Server, udp: UDPServer, sockets: ReadonlySet<Socket>): Promise<void> {
  await new Promise<void>((resolve) => {
    if (!tcp.listening) return resolve();
    tcp.close(() => resolve());
    // Open connections (pipelining clients) would hold close() until their idle timeout.
    for (const socket of sockets) socket.destroy();
  });
  await new Promise<void>((resolve) => {
    try {
      udp.close(() => resolve());
    } catch {
      resolve(); // never bound
    }
  });
}
