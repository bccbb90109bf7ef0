/**
 * Servers a benchmark runs in processes of their own (`sluice dev`, a canned-response server,
 * dynalite): started until their output names their URL, stopped with SIGINT as a user would.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");

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
