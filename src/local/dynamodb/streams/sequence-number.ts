import { LIMITS } from "../../../model/limits.ts";

/**
 * DynamoDB Streams sequence numbers are numeric strings of 21 to 40 digits
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_SequenceNumberRange.html)
 * that increase within a shard. Sluice numbers every record of the app's database from one SQLite
 * counter and writes it after a fixed leading digit, zero-padded to the minimum length, so a
 * sequence number compares the same as text and as a number, and reads like AWS's
 * ("100000000000000000042").
 */
const DIGITS = LIMITS.dynamodbStreams.sequenceNumberLength.min;
const BASE = 10n ** BigInt(DIGITS - 1);

export function formatSequenceNumber(seq: number): string {
  return (BASE + BigInt(seq)).toString();
}

/** The counter behind a sequence number, or undefined when the text is not one of ours. */
export function parseSequenceNumber(text: string): number | undefined {
  if (!/^[0-9]{21,40}$/.test(text)) return undefined;
  const value = BigInt(text) - BASE;
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(value);
}
