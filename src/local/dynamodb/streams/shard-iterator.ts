import { AwsError } from "../../../model/errors.ts";

/**
 * A shard iterator: where in which shard a reader stands, and when the iterator was handed out.
 * Written as AWS writes theirs, the stream ARN, `|1|`, then an opaque part
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.LowLevel.Walkthrough.html);
 * the opaque part is our position as base64url JSON, read back as data and checked field by field.
 */
export interface IteratorPosition {
  readonly streamArn: string;
  readonly shard: number;
  /** Records after this counter come next. */
  readonly afterSeq: number;
  /** Epoch ms on the clock when it was handed out (it expires 15 minutes later). */
  readonly issuedAt: number;
}

const SEPARATOR = "|1|";

export function encodeIterator(position: IteratorPosition): string {
  const opaque = Buffer.from(JSON.stringify([position.shard, position.afterSeq, position.issuedAt])).toString(
    "base64url",
  );
  return `${position.streamArn}${SEPARATOR}${opaque}`;
}

export function decodeIterator(text: string): IteratorPosition {
  const at = text.lastIndexOf(SEPARATOR);
  let parts: unknown;
  try {
    parts =
      at > 0
        ? JSON.parse(Buffer.from(text.slice(at + SEPARATOR.length), "base64url").toString("utf8"))
        : undefined;
  } catch {
    parts = undefined;
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== 3 ||
    !parts.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)
  )
    throw new AwsError("ValidationException", "Invalid ShardIterator", 400);
  const [shard, afterSeq, issuedAt] = parts as [number, number, number];
  return { streamArn: text.slice(0, at), shard, afterSeq, issuedAt };
}
