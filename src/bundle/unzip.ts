/**
 * Reading a zip we are about to write to disk (a server artifact fetched from a bucket): every
 * entry is checked before any is used. A name that could land outside the target folder (`..`,
 * an absolute or drive path, a backslash), a symbolic link or other special file, an encrypted
 * or zip64 entry, a duplicate, or content that does not match its CRC-32 refuses the whole zip.
 * The central directory is read here rather than through fflate's unzip, which does not report
 * the Unix mode a symbolic link is recognised by; fflate only inflates.
 */
import { inflateSync } from "fflate";
import { SluiceError } from "../model/errors.ts";
import { CENTRAL_HEADER, crc32, END_OF_CENTRAL_DIRECTORY, LOCAL_HEADER, type ZipEntry } from "./zip.ts";

const END_BYTES = 22;
const MAX_COMMENT = 0xffff;
const ENCRYPTED = 0x0001;
const STORE = 0;
const DEFLATE = 8;
const HOST_UNIX = 3;
const FILE_TYPE_MASK = 0o170000;
const REGULAR_FILE = 0o100000;
const DIRECTORY = 0o040000;
const SYMBOLIC_LINK = 0o120000;
const ZIP64_MARK = 0xffffffff;

/** The files of a zip, in archive order (directory entries dropped), each checked as above. */
export function readZip(data: Uint8Array): ZipEntry[] {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const end = findEnd(buffer);
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== CENTRAL_HEADER) {
      throw refused("its central directory is damaged");
    }
    const madeBy = buffer.readUInt16LE(at + 4);
    const flags = buffer.readUInt16LE(at + 8);
    const method = buffer.readUInt16LE(at + 10);
    const crc = buffer.readUInt32LE(at + 16);
    const compressed = buffer.readUInt32LE(at + 20);
    const size = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const attributes = buffer.readUInt32LE(at + 38);
    const offset = buffer.readUInt32LE(at + 42);
    const path = buffer.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    const directory = path.endsWith("/");
    checkPath(directory ? path.slice(0, -1) : path);
    if (seen.has(path)) throw refused(`it holds ${JSON.stringify(path)} twice`);
    seen.add(path);
    const type = madeBy >> 8 === HOST_UNIX ? (attributes >>> 16) & FILE_TYPE_MASK : 0;
    if (type === SYMBOLIC_LINK) throw refused(`${JSON.stringify(path)} is a symbolic link`);
    if (type !== 0 && type !== REGULAR_FILE && type !== DIRECTORY) {
      throw refused(`${JSON.stringify(path)} is not a regular file (mode ${type.toString(8)})`);
    }
    if (flags & ENCRYPTED) throw refused(`${JSON.stringify(path)} is encrypted`);
    if (compressed === ZIP64_MARK || size === ZIP64_MARK || offset === ZIP64_MARK) {
      throw refused(`${JSON.stringify(path)} is a zip64 entry`);
    }
    if (directory || type === DIRECTORY) continue;
    entries.push({ path, data: content(buffer, path, offset, { method, compressed, size, crc }) });
  }
  return entries;
}

function findEnd(buffer: Buffer): number {
  const lowest = Math.max(0, buffer.length - END_BYTES - MAX_COMMENT);
  for (let at = buffer.length - END_BYTES; at >= lowest; at--) {
    if (buffer.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw refused("it is not a zip (no end of central directory record)");
}

/**
 * Names are data, never paths: only `/`-separated segments, none empty, `.` or `..`, no
 * backslash, no leading `/` or drive letter, no NUL.
 */
function checkPath(path: string): void {
  const segments = path.split("/");
  const bad =
    path === "" ||
    /[\\\0]/.test(path) ||
    /^[A-Za-z]:/.test(path) ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..");
  if (bad) {
    throw refused(
      `its entry ${JSON.stringify(path)} could be written outside the target folder ` +
        "(entries are relative paths of /-separated names, none empty, . or ..)",
    );
  }
}

function content(
  buffer: Buffer,
  path: string,
  offset: number,
  entry: { method: number; compressed: number; size: number; crc: number },
): Uint8Array {
  if (offset + 30 > buffer.length || buffer.readUInt32LE(offset) !== LOCAL_HEADER) {
    throw refused(`the local header of ${JSON.stringify(path)} is missing`);
  }
  const start = offset + 30 + buffer.readUInt16LE(offset + 26) + buffer.readUInt16LE(offset + 28);
  if (start + entry.compressed > buffer.length) throw refused(`${JSON.stringify(path)} is cut short`);
  const body = buffer.subarray(start, start + entry.compressed);
  let data: Uint8Array;
  if (entry.method === STORE) data = body;
  else if (entry.method === DEFLATE) {
    try {
      // Inflate into a buffer of the declared size: a zip bomb cannot grow past it.
      data = inflateSync(body, { out: new Uint8Array(entry.size) });
    } catch (error) {
      throw refused(`${JSON.stringify(path)} does not inflate`, error);
    }
  } else throw refused(`${JSON.stringify(path)} uses compression method ${entry.method}`);
  if (data.length !== entry.size || crc32(data) !== entry.crc) {
    throw refused(`${JSON.stringify(path)} does not match its size and CRC-32`);
  }
  return data;
}

function refused(reason: string, cause?: unknown): SluiceError {
  return new SluiceError("SLUICE_UNZIP", `cannot unzip: ${reason}`, cause === undefined ? {} : { cause });
}
