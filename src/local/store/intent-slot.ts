/**
 * A write answered before its SQLite commit (issue 14): the surface writes what the commit will
 * store into one fixed slot of a small file beside the state file, answers, then commits and
 * empties the slot, all in one synchronous run of the event loop, so no other call sees the state
 * in between. The commit (the rows and their WAL frames) then overlaps the client's own work
 * instead of delaying its answer. SQS's SendMessage (sqs/send-intent.ts) and DynamoDB's item
 * writes (dynamodb/answered-writes.ts) use it, each with a file and a recovery of its own.
 *
 * A crash (kill -9) between the answer and the commit leaves the slot written, and the surface's
 * next open commits it unless the commit already happened (the crash came between commit and
 * emptying; each surface knows how to tell). The slot is written with `pwrite` at offset 0, as the
 * WAL is, so it is as durable as a commit with synchronous=NORMAL: a killed process loses nothing,
 * only a power loss could. A slot torn while it was written fails its CRC-32 and is ignored: that
 * write had not been answered.
 */
import { closeSync, constants, openSync, readSync, writeSync } from "node:fs";
import { crc32 } from "node:zlib";

/** Length (u32) and CRC-32 (u32) of the JSON that follows. */
const HEADER_BYTES = 8;
const EMPTY = Buffer.alloc(HEADER_BYTES);

export class IntentSlot {
  private readonly fd: number;
  private record = Buffer.allocUnsafeSlow(16 * 1024);

  constructor(readonly file: string) {
    // Not O_APPEND: Linux ignores pwrite's offset on a file opened for appending.
    this.fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600);
  }

  /** The JSON text a crashed process answered for and may not have committed; undefined when none. */
  pending(): string | undefined {
    const header = Buffer.alloc(HEADER_BYTES);
    if (readSync(this.fd, header, 0, HEADER_BYTES, 0) < HEADER_BYTES) return undefined;
    const length = header.readUInt32LE(0);
    if (length === 0) return undefined;
    const json = Buffer.alloc(length);
    if (readSync(this.fd, json, 0, length, HEADER_BYTES) < length) return undefined;
    if (crc32(json) !== header.readUInt32LE(4)) return undefined;
    return json.toString("utf8");
  }

  /** Writes `value` as JSON into the slot, replacing what was there. */
  write(value: unknown): void {
    const text = JSON.stringify(value);
    // Encoded straight into one buffer kept for the purpose (this runs before every answer): a
    // UTF-16 unit is at most 3 bytes of UTF-8, so a buffer that large always holds the text.
    const most = HEADER_BYTES + text.length * 3;
    if (this.record.length < most) this.record = Buffer.allocUnsafeSlow(most);
    const record = this.record;
    const length = record.write(text, HEADER_BYTES, "utf8");
    record.writeUInt32LE(length, 0);
    record.writeUInt32LE(crc32(record.subarray(HEADER_BYTES, HEADER_BYTES + length)), 4);
    writeSync(this.fd, record, 0, HEADER_BYTES + length, 0);
  }

  /** Empties the slot: what it held is committed. */
  clear(): void {
    writeSync(this.fd, EMPTY, 0, HEADER_BYTES, 0);
  }

  close(): void {
    closeSync(this.fd);
  }
}
