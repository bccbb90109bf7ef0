/**
 * The control API's per-session secret. `dev` and `sluice cloud` make one when they start and
 * write it, with the URL, to their state folder readable by the user only; the CLI reads it there
 * and sends it on every control call. A web page, another user on the machine, or anything that
 * merely reaches the port does not have it. The token is never logged; `dev` prints it only in
 * the console's URL in its banner (local/console), for the developer to open.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";

/** The header the CLI sends it in: `Authorization: Bearer <token>`. */
const SCHEME = "Bearer ";

/** 32 random bytes, base64url. */
export function newControlToken(): string {
  return randomBytes(32).toString("base64url");
}

export function controlAuthorization(token: string): Record<string, string> {
  return { authorization: `${SCHEME}${token}` };
}

/** True when the request carries the session's token. */
export function hasControlToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization;
  if (typeof header !== "string" || !header.startsWith(SCHEME)) return false;
  const given = Buffer.from(header.slice(SCHEME.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Writes `file` in `dir` readable by the user only (0600 in a 0700 folder), replacing any earlier
 * one atomically, so no other user can read the token even for a moment.
 */
export function writePrivateFile(dir: string, file: string, content: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temp = join(dir, `.${file}.${process.pid}.tmp`);
  rmSync(temp, { force: true });
  writeFileSync(temp, content, { mode: 0o600, flag: "wx" });
  renameSync(temp, join(dir, file));
}

/** `value` as indented JSON in a private file (writePrivateFile). */
export function writePrivateJson(dir: string, file: string, value: unknown): void {
  writePrivateFile(dir, file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The JSON a state file holds; undefined when there is none or it cannot be read. */
export function readStateJson<T>(dir: string, file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, file), "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** What `sluice cloud` leaves in its state folder for the CLI to reach its control API. */
export interface ControlFile {
  readonly pid: number;
  readonly url: string;
  readonly token: string;
}

const CLOUD_CONTROL_FILE = "control.json";

export function writeControlFile(dir: string, control: ControlFile): void {
  writePrivateJson(dir, CLOUD_CONTROL_FILE, control);
}
