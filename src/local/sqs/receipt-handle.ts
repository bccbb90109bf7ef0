import { randomUUID } from "node:crypto";
import { missingParameter, SqsError } from "./errors.ts";

/**
 * A receipt handle names one receive of one message: the queue, the message's row and a token
 * that changes on every receive (stored on the row, so the latest handle can be told from an old
 * one). It is opaque base64, as AWS's handles are.
 */
export interface ReceiptHandle {
  readonly queueId: number;
  readonly seq: number;
  readonly token: string;
}

const PREFIX = "sluice1";

export function newReceiptToken(): string {
  return randomUUID().replaceAll("-", "");
}

export function encodeReceiptHandle(queueId: number, seq: number, token: string): string {
  return Buffer.from(`${PREFIX}:${queueId}:${seq}:${token}`, "utf8").toString("base64");
}

/** Throws SqsError ReceiptHandleIsInvalid for a handle this queue never issued. */
export function decodeReceiptHandle(handle: string, queueId: number): ReceiptHandle {
  if (typeof handle !== "string" || handle.length === 0) throw missingParameter("ReceiptHandle");
  const parts = Buffer.from(handle, "base64").toString("utf8").split(":");
  const [prefix, queue, seq, token] = parts;
  const parsed = { queueId: Number(queue), seq: Number(seq), token: token ?? "" };
  if (
    parts.length !== 4 ||
    prefix !== PREFIX ||
    !Number.isSafeInteger(parsed.queueId) ||
    !Number.isSafeInteger(parsed.seq) ||
    parsed.token.length === 0
  ) {
    throw new SqsError(
      "ReceiptHandleIsInvalid",
      `The input receipt handle "${handle}" is not a valid receipt handle. Pass the ReceiptHandle of a received message unchanged.`,
    );
  }
  if (parsed.queueId !== queueId) {
    throw new SqsError(
      "ReceiptHandleIsInvalid",
      `The receipt handle "${handle}" is not valid for this queue: it was issued by another queue.`,
    );
  }
  return parsed;
}
