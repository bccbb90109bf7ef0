/**
 * A standard queue's SendMessage answered before its row is committed (issue 14): the row's values
 * are written to one fixed slot of a small file beside the state file first, the answer goes out,
 * then the row is committed and the slot cleared, all in one synchronous run of the event loop, so
 * no other call can see the queue in between. The commit (SQLite's insert and its WAL frames,
 * ~50 µs) then overlaps the client's own work instead of delaying its answer.
 *
 * A crash (kill -9) between the answer and the commit leaves the slot written: the next open
 * commits it, unless the row is already the newest (the crash came between the commit and the
 * clearing, when nothing else can have run). The slot is written with `pwrite` at offset 0, as the
 * WAL is, so it is as durable as a commit with synchronous=NORMAL: a killed process loses nothing,
 * only a power loss could. A slot torn by a crash while it was written fails its checksum and is
 * ignored: that send had not been answered.
 */
import { closeSync, constants, openSync, readSync, writeSync } from "node:fs";
import { crc32 } from "node:zlib";

/** The slot's file: the state file's name with this after it, beside it. */
export const SEND_INTENT_SUFFIX = "-sqs-send";
/** Length (u32) and CRC-32 (u32) of the JSON that follows. */
const HEADER_BYTES = 8;
const EMPTY = Buffer.alloc(HEADER_BYTES);

export class SendIntent {
  private readonly fd: number;
  private record = Buffer.allocUnsafeSlow(16 * 1024);

  constructor(readonly file: string) {
    // Not O_APPEND: Linux ignores pwrite's offset on a file opened for appending.
    this.fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600);
  }

  /** The rows a crashed process answered for and may not have committed; undefined when none. */
  pending(): unknown[][] | undefined {
    const header = Buffer.alloc(HEADER_BYTES);
    if (readSync(this.fd, header, 0, HEADER_BYTES, 0) < HEADER_BYTES) return undefined;
    const length = header.readUInt32LE(0);
    if (length === 0) return undefined;
    const json = Buffer.alloc(length);
    if (readSync(this.fd, json, 0, length, HEADER_BYTES) < length) return undefined;
    if (crc32(json) !== header.readUInt32LE(4)) return undefined;
    const rows: unknown = JSON.parse(json.toString("utf8"));
    return Array.isArray(rows) && rows.every(Array.isArray) ? (rows as unknown[][]) : undefined;
  }

  /** Writes `rows` into the slot, replacing what was there. */
  write(rows: readonly (readonly unknown[])[]): void {
    const text = JSON.stringify(rows);
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

  /** Empties the slot: its rows are committed. */
  clear(): void {
    writeSync(this.fd, EMPTY, 0, HEADER_BYTES, 0);
  }

  close(): void {
    closeSync(this.fd);
  }
}
