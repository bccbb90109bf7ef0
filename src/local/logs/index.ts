/**
 * CloudWatch Logs: the log store, the sink that fills it from functions, and its JSON protocol.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { lambdaLogSink } from "./lambda-log-sink.ts";
export { LogStore } from "./log-store.ts";
export { handleLogsJson } from "./wire/logs-json.ts";
