/**
 * What the CLI adds when the local cloud refuses a name a user typed: AWS's error says the
 * function or queue does not exist, and the CLI lists those that do (with the closest one), or,
 * for a FIFO send without `--group`, what the queue needs. The code stays AWS's, so scripts that
 * match on it keep working.
 */
import type { Operations } from "../local/operations.ts";
import { SluiceError } from "../model/errors.ts";
import { didYouMean } from "../model/validate/suggest.ts";

/**
 * Rethrows `error` with the names that exist when it says one of `typed` does not (the first
 * the app lacks); else as it was.
 */
export async function withNameHint(
  error: unknown,
  ops: Operations,
  kind: "function" | "queue",
  ...typed: (string | undefined)[]
): Promise<never> {
  const code = (error as { code?: string }).code;
  if (kind === "function" && code === "ResourceNotFoundException") {
    const names = (await ops.functions()).map((f) => f.functionName);
    const name = missing(typed, names);
    throw hinted(
      error,
      code,
      `no function "${name}" in this app.${didYouMean(name, names)}`,
      "functions",
      names,
    );
  }
  if (kind === "queue" && code === "QueueDoesNotExist") {
    const names = (await ops.queues()).map((q) => q.name);
    const name = missing(typed, names);
    throw hinted(error, code, `no queue "${name}" in this app.${didYouMean(name, names)}`, "queues", names);
  }
  throw error;
}

/** A send SQS refused for want of a group or deduplication id: say which options a FIFO queue needs. */
export function withFifoHint(error: unknown, queue: string): never {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? "";
  if (code === "MissingParameter" && message.includes("MessageGroupId")) {
    throw new SluiceError(
      code,
      `queue "${queue}" is FIFO: every message needs a group (MessageGroupId; messages of one group are ` +
        "delivered in order). Pass --group ID, and --dedup ID unless the queue has contentBasedDeduplication",
      { cause: error },
    );
  }
  if (code === "InvalidParameterValue" && message.includes("MessageDeduplicationId")) {
    throw new SluiceError(
      code,
      `queue "${queue}" is FIFO without contentBasedDeduplication: pass --dedup ID (a message with the ` +
        "same id within 5 minutes is dropped as a duplicate), or set contentBasedDeduplication: true on the queue",
      { cause: error },
    );
  }
  throw error;
}

function hinted(
  error: unknown,
  code: string,
  message: string,
  what: string,
  names: readonly string[],
): SluiceError {
  const list = names.length === 0 ? "none" : names.join(", ");
  return new SluiceError(code, `${message} Its ${what}: ${list}`, { cause: error });
}

function missing(typed: readonly (string | undefined)[], names: readonly string[]): string {
  const given = typed.filter((name): name is string => name !== undefined);
  return given.find((name) => !names.includes(name)) ?? given[0] ?? "";
}
