import { type ChildProcess, execFile, spawn } from "node:child_process";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "sluice.js");
/** Upper bound for an awaited event, far above its expected time: a hang fails the test rather than CI. */
export const EVENT_TIMEOUT_MS = 60_000;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `sluice` command in a child process. */
export function sluice(args: readonly string[], options: { input?: string } = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export interface DevProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first output line (stdout or stderr) matching, or rejects on timeout or exit. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when `count` lines match. */
  waitForCount(pattern: RegExp, count: number, timeoutMs?: number): Promise<string[]>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startDev(
  dir: string,
  options: {
    args?: readonly string[];
    env?: Record<string, string> /** @default false */;
    watch?: boolean;
  } = {},
): Promise<DevProcess> {
  const watch = options.watch === true ? [] : ["--no-watch"];
  const child = spawn(process.execPath, [BIN, "dev", dir, ...watch, ...(options.args ?? [])], {
    cwd: ROOT,
    // An IPC channel: if this test process is killed (a file past its timeout), the child ends too.
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, ...options.env },
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let exited = false;
  const onData = (buffer: { text: string }) => (chunk: Buffer) => {
    buffer.text += chunk.toString("utf8");
    const parts = buffer.text.split("\n");
    buffer.text = parts.pop() ?? "";
    lines.push(...parts);
    for (const wake of waiters) wake();
  };
  child.stdout?.on("data", onData({ text: "" }));
  child.stderr?.on("data", onData({ text: "" }));
  child.on("exit", () => {
    exited = true;
    for (const wake of waiters) wake();
  });

  const waitForCount = (pattern: RegExp, count: number, timeoutMs = EVENT_TIMEOUT_MS) =>
    new Promise<string[]>((resolvePromise, reject) => {
      const check = () => {
        const matches = lines.filter((line) => pattern.test(line));
        if (matches.length >= count) {
          finish();
          resolvePromise(matches);
        } else if (exited) {
          finish();
          reject(new Error(`dev exited before ${count}× ${pattern}; output:\n${lines.join("\n")}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`timed out waiting for ${count}× ${pattern}; output:\n${lines.slice(-60).join("\n")}`),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const dev: DevProcess = {
    child,
    lines,
    waitForCount,
    waitForLine: async (pattern, timeoutMs) => (await waitForCount(pattern, 1, timeoutMs))[0] ?? "",
    stop: (signal = "SIGINT") =>
      new Promise((resolvePromise) => {
        if (exited) return resolvePromise(child.exitCode);
        child.once("exit", (code) => resolvePromise(code));
        child.kill(signal);
      }),
  };
  await dev.waitForLine(/ready in \d+ ms/);
  // The banner can reach this process in more than one chunk (stdout lines after a stderr line,
  // such as the runtime note, are a write of their own), and tests read its URLs as soon as this
  // resolves: the AWS endpoint line, printed last, says the whole banner is here.
  await dev.waitForLine(/^\s*AWS endpoint\s+http/);
  return dev;
}
