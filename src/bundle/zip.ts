/**
 * A reproducible zip: the same files give the same bytes on any machine, in any time zone, at
 * any time. Entries are sorted by name, every timestamp is 1980-01-01 00:00 (the first date zip
 * can hold), every file is mode 0644, and no extra fields are written. DEFLATE comes from fflate,
 * plain JavaScript, because zlib's output depends on the CPU (Chromium's zlib, which Node ships,
 * hashes with CRC32C instructions where the processor has them).
 */
import { deflateSync } from "fflate";

export interface ZipEntry {
  /** Path inside the archive, with `/` separators. */
  readonly path: string;
  readonly data: Uint8Array;
}

/** The record signatures of the zip format (unzip.ts reads them back). */
export const LOCAL_HEADER = 0x04034b50;
export const CENTRAL_HEADER = 0x02014b50;
export const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: deflate, no zip64
const MADE_BY_UNIX = (3 << 8) | VERSION;
const UTF8_NAMES = 0x0800;
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const DOS_TIME_MIDNIGHT = 0;
const FILE_MODE = 0o100644;
const STORE = 0;
const DEFLATE = 8;
const MAX_ENTRY_BYTES = 0xffffffff;

export function zip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => compareBytes(a.path, b.path));
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of sorted) {
    if (seen.has(entry.path)) throw new Error(`zip: duplicate entry ${entry.path}`);
    seen.add(entry.path);
    if (entry.data.length > MAX_ENTRY_BYTES) throw new Error(`zip: ${entry.path} is over 4 GiB`);
    const name = Buffer.from(entry.path, "utf8");
    const deflated = deflateSync(entry.data, { level: 6 });
    const stored = deflated.length >= entry.data.length;
    const body = stored ? entry.data : deflated;
    const fields = {
      method: stored ? STORE : DEFLATE,
      crc: crc32(entry.data),
      compressed: body.length,
      size: entry.data.length,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    writeCommon(local, 6, fields);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, Buffer.from(body.buffer, body.byteOffset, body.length));

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(VERSION, 6);
    writeCommon(central, 8, fields);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number start, internal attributes: all 0
    central.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Flags, method, time, date, CRC and sizes: the run of fields local and central headers share. */
function writeCommon(
  header: Buffer,
  at: number,
  fields: { method: number; crc: number; compressed: number; size: number },
): void {
  header.writeUInt16LE(UTF8_NAMES, at);
  header.writeUInt16LE(fields.method, at + 2);
  header.writeUInt16LE(DOS_TIME_MIDNIGHT, at + 4);
  header.writeUInt16LE(DOS_DATE_1980_01_01, at + 6);
  header.writeUInt32LE(fields.crc, at + 8);
  header.writeUInt32LE(fields.compressed, at + 12);
  header.writeUInt32LE(fields.size, at + 16);
}

/** Byte order of the UTF-8 names, so the order is the same whatever the locale. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

let table: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC), the checksum zip stores for each entry. */
export function crc32(data: Uint8Array): number {
  table ??= makeTable();
  let crc = 0xffffffff;
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
