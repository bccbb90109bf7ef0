/**
 * Lambda's log lines into CloudWatch Logs as Lambda writes them: group `/aws/lambda/<function>`,
 * one stream per execution environment named `YYYY/MM/DD/[$LATEST]<32 hex>` after the day the
 * environment started
 * (https://docs.aws.amazon.com/lambda/latest/operatorguide/log-structure.html). The group is
 * created on the first line when missing, as Lambda creates it on first invoke
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html).
 *
 * Lambda writes with the function's execution role: it needs logs:CreateLogGroup,
 * logs:CreateLogStream and logs:PutLogEvents, and without them the function still runs but its
 * lines are lost (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html,
 * "Required IAM permissions"). Given the role, the sink does only what the role allows.
 */
import { createHash } from "node:crypto";
import type { PolicyDocument } from "../../model/iam/function-grants.ts";
import { policyAllows } from "../../model/iam/match.ts";
import { partition } from "../../model/naming.ts";
import type { LogLine } from "../lambda/index.ts";
import type { LogStore } from "./log-store.ts";

export type LambdaLogSink = (line: LogLine, environmentId?: string) => void;

/**
 * The execution role's policy of a function by its physical name; undefined when the function (or
 * its role) is gone, as when its stack was deleted while it ran: nothing is written then.
 */
export type ExecutionRole = (functionName: string) => PolicyDocument | undefined;

export interface LambdaLogSinkOptions {
  /** The account the groups' ARNs name, for the role's checks. */
  readonly accountId: string;
  /** @default every write allowed (`sluice dev` writes its own logs) */
  readonly role?: ExecutionRole;
}

/**
 * `physicalName` maps a line's function name to the deployed function name the group is named
 * after. Without an environment id, lines go to one stream per function per UTC day (named as
 * if that day were one environment), since the line cannot say which environment wrote it.
 */
export function lambdaLogSink(
  store: LogStore,
  region: string,
  physicalName: (functionName: string) => string = (name) => name,
  options?: LambdaLogSinkOptions,
): LambdaLogSink {
  // An environment keeps the stream it opened with, even past midnight.
  const streams = new Map<string, string>();
  return (line, environmentId) => {
    const functionName = physicalName(line.functionName);
    const day = utcDay(line.timestamp);
    const key =
      environmentId === undefined ? `${functionName}\0${day}` : `${functionName}\0env\0${environmentId}`;
    let stream = streams.get(key);
    const opening = stream === undefined;
    if (stream === undefined)
      stream = `${day}/[$LATEST]${streamId(environmentId ?? `${functionName}/${day}`)}`;
    const group = `/aws/lambda/${functionName}`;
    if (options?.role && !roleAllows(store, region, options, functionName, group, stream, opening)) return;
    streams.set(key, stream);
    store.append(region, group, stream, [{ timestamp: line.timestamp, message: line.text }]);
  };
}

/** What the function's role lets Lambda do here: create the group if missing, the stream if new, and put. */
function roleAllows(
  store: LogStore,
  region: string,
  options: LambdaLogSinkOptions,
  functionName: string,
  group: string,
  stream: string,
  opening: boolean,
): boolean {
  const policy = options.role?.(functionName);
  if (!policy) return false;
  const groupArn = `arn:${partition(region)}:logs:${region}:${options.accountId}:log-group:${group}`;
  const streamArn = `${groupArn}:log-stream:${stream}`;
  if (!policyAllows(policy, "logs:PutLogEvents", streamArn)) return false;
  if (opening && !policyAllows(policy, "logs:CreateLogStream", streamArn)) return false;
  if (groupExists(store, region, group)) return true;
  // Policies name a group with or without the `:*` that DescribeLogGroups' `arn` carries.
  return (
    policyAllows(policy, "logs:CreateLogGroup", groupArn) ||
    policyAllows(policy, "logs:CreateLogGroup", `${groupArn}:*`)
  );
}

function groupExists(store: LogStore, region: string, group: string): boolean {
  return store
    .describeLogGroups(region, { logGroupNamePrefix: group })
    .logGroups.some((g) => g.logGroupName === group);
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
