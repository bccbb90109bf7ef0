/**
 * The defence against DNS rebinding: a page on `evil.test` whose name is re-pointed at 127.0.0.1
 * reaches a local server with `Host: evil.test:<port>`. A server answers only Host names that
 * cannot be re-pointed (loopback addresses, `localhost` and its subdomains, which browsers resolve
 * to loopback themselves, RFC 6761 §6.3), the address it was told to bind, and names the user
 * allowed (`--allow-host`), each with the server's own port.
 */

/** Addresses that mean "every interface": a Host never names them. */
const WILDCARD_BINDS = new Set(["0.0.0.0", "::", "[::]"]);

/** Whether binding `host` listens on every interface (0.0.0.0, ::). */
export function isWildcardBind(host: string): boolean {
  return WILDCARD_BINDS.has(host);
}
const LOOPBACK_V4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export class HostGuard {
  /** `name:port` strings answered without parsing: the Hosts that clients send almost always. */
  private readonly fast: Set<string>;
  private readonly names: Set<string>;
  private readonly suffixes: string[];

  /**
   * @param port the server's port (a Host without one means 80)
   * @param boundHost the address the server binds; a specific one is a name it serves
   * @param allowedHosts names the user allowed; `*.example.test` allows its subdomains
   */
  constructor(
    private readonly port: number,
    boundHost: string,
    allowedHosts: readonly string[] = [],
  ) {
    this.names = new Set(["localhost", "[::1]"]);
    this.suffixes = [".localhost"];
    const bound = boundHost.toLowerCase();
    if (!WILDCARD_BINDS.has(bound)) this.names.add(bound.includes(":") ? `[${bound}]` : bound);
    for (const raw of allowedHosts) {
      const name = raw.trim().toLowerCase();
      if (name.startsWith("*.")) this.suffixes.push(name.slice(1));
      else if (name !== "") this.names.add(name.includes(":") && !name.startsWith("[") ? `[${name}]` : name);
    }
    this.fast = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  }

  /** True when the request's Host header names this server. */
  allows(host: string | undefined): boolean {
    if (host === undefined) return false;
    if (this.fast.has(host)) return true;
    const parsed = splitHost(host.toLowerCase());
    if (!parsed || parsed.port !== this.port) return false;
    const name = parsed.name.endsWith(".") ? parsed.name.slice(0, -1) : parsed.name;
    if (this.names.has(name) || isLoopbackV4(name)) return true;
    return this.suffixes.some((suffix) => name.endsWith(suffix) && name.length > suffix.length);
  }
}

function splitHost(host: string): { name: string; port: number } | undefined {
  const close = host.startsWith("[") ? host.indexOf("]") : -1;
  const colon = host.lastIndexOf(":");
  const hasPort = colon > close;
  const name = hasPort ? host.slice(0, colon) : host;
  const portText = hasPort ? host.slice(colon + 1) : "80";
  if (name === "" || !/^\d{1,5}$/.test(portText)) return undefined;
  return { name, port: Number(portText) };
}

function isLoopbackV4(name: string): boolean {
  const match = LOOPBACK_V4.exec(name);
  return match?.slice(1).every((octet) => Number(octet) <= 255) ?? false;
}
