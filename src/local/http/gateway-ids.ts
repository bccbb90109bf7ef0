/**
 * Identifiers in API Gateway's formats: request, extended request, message and connection ids
 * are 16 characters of base64 (11 random bytes, `R1koeHsUtjMFbRw=`); API ids are 10 lower-case
 * letters and digits. Random bytes come from a pool refilled in bulk, as ids are made per request.
 */
import { randomFillSync } from "node:crypto";
import { type ApiKind, localApiId } from "../../model/api-ids.ts";

const POOL_SIZE = 11 * 512;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

function randomSlice(bytes: number): Buffer {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const slice = pool.subarray(offset, offset + bytes);
  offset += bytes;
  return slice;
}

/** `R1koeHsUtjMFbRw=`-style id. */
export function gatewayId(): string {
  return randomSlice(11).toString("base64");
}

/** `Root=1-<8 hex seconds>-<24 hex>`, the X-Amzn-Trace-Id API Gateway adds. */
export function traceId(nowMs: number): string {
  return `Root=1-${Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, "0")}-${randomSlice(12).toString("hex")}`;
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
