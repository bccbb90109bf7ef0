/**
 * The control API (`/_sluice`) through which the CLI reaches a running cloud, its client and its
 * session token.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { ControlErrorSink } from "./control-api.ts";
export { CONTROL_PREFIX, handleControl, sendError, sendJson } from "./control-api.ts";
export { isAlive, remoteOperations } from "./control-client.ts";
export {
  hasControlToken,
  newControlToken,
  readStateJson,
  writeControlFile,
  writePrivateJson,
} from "./control-token.ts";
export { TRACE_ID } from "./control-trace-input.ts";
