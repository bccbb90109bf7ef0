import { partition } from "../../model/naming.ts";
import { queueDoesNotExist } from "../sqs/errors.ts";
import type { AwsCall } from "./aws-call.ts";
import { type Json, requiredString } from "./sqs-input.ts";

/**
 * One SQS action, whatever the protocol: it takes and returns members in the JSON protocol's
 * shape (the query protocol converts to and from it). `run` authorizes before it acts, so a call
 * outside a function's permissions fails before anything happens, even for a missing queue.
 */
export type SqsAction = (input: Json, call: AwsCall) => Json | Promise<Json>;

export interface QueueRef {
  /** Physical queue name. */
  readonly name: string;
  /** The canonical URL on this endpoint; the engine resolves it by physical name only. */
  readonly url: string;
  readonly arn: string;
}

/** The queue a `QueueUrl` names: its last path segment, in this account. */
export function queueFromUrl(call: AwsCall, input: Json): QueueRef {
  const url = requiredString(input, "QueueUrl");
  const path = url.includes("://") ? safePath(url) : url;
  const segments = path.split("/").filter((s) => s !== "");
  const name = segments.at(-1) ?? "";
  const account = segments.at(-2);
  if (name === "" || (account !== undefined && /^\d{12}$/.test(account) && account !== call.spec.accountId)) {
    throw queueDoesNotExist(url);
  }
  return queueRef(call, name);
}

export function queueRef(call: AwsCall, name: string): QueueRef {
  const { region, accountId } = call.spec;
  return {
    name,
    url: `${call.endpointUrl}/${accountId}/${name}`,
    arn: `arn:${partition(region)}:sqs:${region}:${accountId}:${name}`,
  };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
