/**
 * Servers a benchmark runs in processes of their own (`sluice dev`, `sluice serve`, a
 * canned-response server, dynalite): started until their output names their URL (or their URL
 * answers), stopped with SIGINT as a user would.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const BIN = resolve(ROOT, "bin", "sluice.js");

/** Runs `node <args>` from the repository root until its stdout matches `ready` (group 1: the URL). */
export function startProcess(args: string[], ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = ready.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.once("exit", (code) => reject(new Error(`exited (${code}) before ready:\n${out}`)));
  });
}

/** Stops a child with SIGINT and waits for it; at once when it has already ended (by code or signal). */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGINT");
  });
}

/** A port nothing listens on now (the OS's pick), for a server started next. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/**
 * A `sluice` command run in `dir` as a user runs it, its output redirected to `log` (a path in
 * `dir`), until GET `url` answers 200. `nodeArgsVariable` names the environment variable whose
 * words go to node first (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the process).
 */
export async function spawnUntilAnswering(options: {
  readonly dir: string;
  readonly args: readonly string[];
  readonly log: string;
  readonly url: string;
  readonly timeoutMs: number;
  readonly nodeArgsVariable: string;
  /** The `sluice` to run: another built checkout's `bin/sluice.js` for an A/B run. @default this tree's */
  readonly bin?: string;
}): Promise<ChildProcess> {
  const { dir, args, log, url } = options;
  const fd = openSync(log, "w");
  const nodeArgs = process.env[options.nodeArgsVariable]?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, options.bin ?? BIN, ...args], {
    cwd: dir,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const started = performance.now();
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return child;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || performance.now() - started > options.timeoutMs)
      throw new Error(`sluice ${args[0]} did not answer:\n${readFileSync(log, "utf8").slice(-4000)}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
