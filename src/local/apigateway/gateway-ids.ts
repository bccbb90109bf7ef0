/**
 * Identifiers in API Gateway's formats: request, extended request, message and connection ids
 * are 16 characters of base64 (11 random bytes, `R1koeHsUtjMFbRw=`); API ids are 10 lower-case
 * letters and digits. Random bytes come from a pool refilled in bulk, as ids are made per request.
 */
import { randomFillSync } from "node:crypto";
import { type ApiKind, localApiId } from "../../model/api-ids.ts";
import { childHeader, newTraceRoot } from "../traces/index.ts";

const POOL_SIZE = 11 * 512;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** `bytes` random bytes from the pool, as text in `encoding`. */
function randomText(bytes: number, encoding: "base64" | "hex"): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const text = pool.toString(encoding, offset, offset + bytes);
  offset += bytes;
  return text;
}

/** `R1koeHsUtjMFbRw=`-style id. */
export function gatewayId(): string {
  return randomText(11, "base64");
}

/** `Root=1-<8 hex seconds>-<24 hex>`, the X-Amzn-Trace-Id API Gateway adds (ids as the traces folder makes them). */
export function traceId(nowMs: number): string {
  return `Root=${newTraceRoot(nowMs)}`;
}

/** The gateway's own header: a Root alone, as an X-Ray trace id (a client's may be anything). */
const GATEWAY_ROOT = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/;

/**
 * The header of the gateway's own hop for a request (issue 20): `trace` with a Parent of its own
 * (16 hex). The gateway's `Root=…` is extended as it is, on every request; anything else (a
 * client's header) goes through the traces folder's parser.
 */
export function requestHopHeader(trace: string, nowMs: number): string {
  if (GATEWAY_ROOT.test(trace)) return `${trace};Parent=${randomText(8, "hex")}`;
  return childHeader(trace, nowMs);
}

/**
 * A stable API id for an app's API, so URLs and ARNs in events do not change between runs. The
 * model derives it, so the grants of functions wired to the WebSocket API name the same id.
 */
export function apiId(app: string, kind: ApiKind): string {
  // Asked for on every request: hash each app's name once.
  const known = apiIds[kind];
  let id = known.get(app);
  if (id === undefined) {
    id = localApiId(app, kind);
    known.set(app, id);
  }
  return id;
}

const apiIds: Record<ApiKind, Map<string, string>> = { http: new Map(), websocket: new Map() };
