import { arn } from "../../../model/naming.ts";
import type { AwsCall } from "../../wire/index.ts";
import { queueDoesNotExist } from "../errors.ts";
import type { QueueService } from "../types.ts";
import { type Json, requiredString } from "./input.ts";

/**
 * One SQS action, whatever the protocol: it takes and returns members in the JSON protocol's
 * shape (the query protocol converts to and from it). `run` authorizes before it acts, so a call
 * outside a function's permissions fails before anything happens, even for a missing queue.
 */
/** A call as SQS's wire handlers see it: all they need of the local cloud is its queues. */
export type SqsCall = AwsCall<{ readonly sqs: QueueService }>;

/**
 * `afterAnswer`, when the protocol's handler gives it, takes work to run right after the answer is
 * written, in the same synchronous run (SendMessage's commit, send-intent.ts). Without it an
 * action does all its work before it returns.
 */
export type SqsAction = (
  input: Json,
  call: SqsCall,
  afterAnswer?: (work: () => void) => void,
) => Json | Promise<Json>;

export interface QueueRef {
  /** Physical queue name. */
  readonly name: string;
  /** The canonical URL on this endpoint; the engine resolves it by physical name only. */
  readonly url: string;
  readonly arn: string;
}

/** The queue a `QueueUrl` names, once the caller may perform `action` on it. */
export function authorizedQueue(call: SqsCall, input: Json, action: string): QueueRef {
  const queue = queueFromUrl(call, input);
  call.authorize(action, queue.arn);
  return queue;
}

/**
 * The queue a `QueueUrl` names: its last path segment, in the account the URL names (else this
 * one) and the region its AWS host names (else the one the call was signed for). A queue in
 * another account or region is checked by IAM as such, then does not exist here (resource-scope.ts).
 */
export function queueFromUrl(call: SqsCall, input: Json): QueueRef {
  const url = requiredString(input, "QueueUrl");
  // A client sends the same URL call after call: the ref is cached per URL, for the call's
  // region, account and endpoint (issue 14: 1 KB of allocation and two regexes per call).
  const cached = refs.get(url);
  if (
    cached !== undefined &&
    cached.region === call.region &&
    cached.accountId === call.spec.accountId &&
    cached.endpointUrl === call.endpointUrl
  )
    return cached.ref;
  const ref = parseQueueUrl(call, url);
  if (refs.size >= MAX_CACHED_REFS) refs.clear();
  refs.set(url, { region: call.region, accountId: call.spec.accountId, endpointUrl: call.endpointUrl, ref });
  return ref;
}

/** Enough for every queue a session's clients name; past it the cache starts over. */
const MAX_CACHED_REFS = 512;
const refs = new Map<
  string,
  {
    readonly region: string;
    readonly accountId: string;
    readonly endpointUrl: string;
    readonly ref: QueueRef;
  }
>();

function parseQueueUrl(call: SqsCall, url: string): QueueRef {
  const path = url.includes("://") ? safePath(url) : url;
  const segments = path.split("/").filter((s) => s !== "");
  const name = segments.at(-1) ?? "";
  if (name === "") throw queueDoesNotExist(url);
  const account = segments.at(-2);
  const region = hostRegion(url);
  return queueRef(call, name, {
    ...(account !== undefined && /^\d{12}$/.test(account) ? { account } : {}),
    ...(region === undefined ? {} : { region }),
  });
}

export function queueRef(
  call: SqsCall,
  name: string,
  where: { readonly account?: string; readonly region?: string } = {},
): QueueRef {
  const region = where.region ?? call.region;
  const accountId = where.account ?? call.spec.accountId;
  return {
    name,
    url: `${call.endpointUrl}/${accountId}/${name}`,
    arn: arn("sqs", region, accountId, name),
  };
}

/** `sqs.<region>.amazonaws.com` or the legacy `<region>.queue.amazonaws.com` of an AWS queue URL. */
function hostRegion(url: string): string | undefined {
  const host = /^[a-z]+:\/\/([^/:]+)/i.exec(url)?.[1]?.toLowerCase() ?? "";
  return (
    /^sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1] ??
    /^([a-z0-9-]+)\.queue\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1]
  );
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
