/**
 * Lambda's log lines into CloudWatch Logs as Lambda writes them: group `/aws/lambda/<function>`,
 * one stream per execution environment named `YYYY/MM/DD/[$LATEST]<32 hex>` after the day the
 * environment started
 * (https://docs.aws.amazon.com/lambda/latest/operatorguide/log-structure.html). The group is
 * created on the first line when missing, as Lambda creates it on first invoke
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html).
 */
import { createHash } from "node:crypto";
import type { LogLine } from "../lambda/types.ts";
import type { LogStore } from "./log-store.ts";

export type LambdaLogSink = (line: LogLine, environmentId?: string) => void;

/**
 * `physicalName` maps a line's function name to the deployed function name the group is named
 * after. Without an environment id, lines go to one stream per function per UTC day (named as
 * if that day were one environment), since the line cannot say which environment wrote it.
 */
export function lambdaLogSink(
  store: LogStore,
  region: string,
  physicalName: (functionName: string) => string = (name) => name,
): LambdaLogSink {
  // An environment keeps the stream it opened with, even past midnight.
  const streams = new Map<string, string>();
  return (line, environmentId) => {
    const functionName = physicalName(line.functionName);
    const day = utcDay(line.timestamp);
    const key =
      environmentId === undefined ? `${functionName}\0${day}` : `${functionName}\0env\0${environmentId}`;
    let stream = streams.get(key);
    if (stream === undefined) {
      stream = `${day}/[$LATEST]${streamId(environmentId ?? `${functionName}/${day}`)}`;
      streams.set(key, stream);
    }
    store.append(region, `/aws/lambda/${functionName}`, stream, [
      { timestamp: line.timestamp, message: line.text },
    ]);
  };
}

/** `YYYY/MM/DD` in UTC. */
function utcDay(timestamp: number): string {
  return new Date(timestamp).toISOString().slice(0, 10).replaceAll("-", "/");
}

/** 32 lowercase hex characters: the id itself when it already is, else derived from it. */
function streamId(id: string): string {
  const hex = id.replaceAll("-", "").toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : createHash("md5").update(id).digest("hex");
}
