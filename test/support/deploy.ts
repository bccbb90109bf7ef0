/**
 * Runs `sluice cloud` (a local AWS account) as a child process for the deploy tests, and the
 * real CLI against it. Credentials are fake but go through the SDK's default chain (environment).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { SQSClient } from "@aws-sdk/client-sqs";
import { type CliResult, EVENT_TIMEOUT_MS, ROOT, sluice } from "./cli-process.ts";
import { copyApp } from "./temp.ts";

/** Secrets that must never appear in any output of the CLI. */
export const SECRET_ACCESS_KEY = "local-secret-key-that-must-never-print";
export const HEALTH_CHECKER_ID = "health-checker-secret-that-must-never-print";

/** The environment every CLI call inherits: fake credentials, fast polling. */
export function useLocalCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = "AKIDSLUICELOCALTEST";
  process.env.AWS_SECRET_ACCESS_KEY = SECRET_ACCESS_KEY;
  process.env.SLUICE_POLL_INTERVAL_MS = "50";
  process.env.SLUICE_POLL_TIMEOUT_MS = "120000";
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_ENDPOINT_URL;
}

export interface LocalCloud {
  readonly url: string;
  readonly child: ChildProcess;
  readonly lines: string[];
  stop(): Promise<void>;
}

/** Starts `sluice cloud --port 0 --json` and resolves with the URL its ready line prints. */
export function startCloud(stateDir: string): Promise<LocalCloud> {
  const child = spawn(
    process.execPath,
    [join(ROOT, "bin", "sluice.js"), "cloud", "--port", "0", "--state", stateDir, "--json"],
    {
      cwd: ROOT,
      // An IPC channel: if this test process is killed (a file past its timeout), the child ends too.
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: process.env,
    },
  );
  const lines: string[] = [];
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGINT");
    });
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`sluice cloud printed no ready line in ${EVENT_TIMEOUT_MS} ms:\n${lines.join("\n")}`));
    }, EVENT_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        if (!line.startsWith("{")) continue;
        const event = JSON.parse(line) as { type?: string; url?: string };
        if (event.type === "ready" && event.url) {
          clearTimeout(timer);
          resolve({ url: event.url, child, lines, stop });
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => lines.push(chunk.toString("utf8")));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sluice cloud exited with ${code}:\n${lines.join("\n")}`));
    });
  });
}

/** Every output of every CLI call, to check at the end that no secret was ever printed. */
export const transcript: string[] = [];

export async function run(args: readonly string[]): Promise<CliResult> {
  const result = await sluice(args);
  transcript.push(result.stdout, result.stderr);
  return result;
}

/** One region's result as `sluice deploy --json` prints it. */
export interface RegionJson {
  region: string;
  stackName: string;
  outcome: string;
  finalStatus: string;
  changes?: Record<
    "added" | "modified" | "replaced" | "removed",
    { logicalId: string; properties: string[] }[]
  >;
  outputs: Record<string, string>;
  switchover?: {
    oldStacks: string[];
    moved: { logicalId: string; moved: number }[];
    deleted: { stackName: string; status: string }[];
  };
}

/** `sluice deploy --json`'s output: one result per region. */
export function regionResults(stdout: string): RegionJson[] {
  return JSON.parse(stdout) as RegionJson[];
}

/** A `sluice cloud` with a copy of examples/pipeline to deploy to it (see useCloudWithExample). */
export interface CloudWithExample {
  readonly url: string;
  /** The copy of the example. */
  readonly dir: string;
  /** An SQS client of the cloud, in the region given. */
  readonly sqs: SQSClient;
  /** CLI arguments with `--endpoint-url <the cloud>` appended. */
  at(...args: string[]): string[];
  /** `sluice deploy` of the copy to the region given, with HEALTH_CHECKER_ID and `args`. */
  deploy(...args: string[]): Promise<CliResult>;
}

/**
 * For the describe block it is called in: before its tests, starts `sluice cloud` on a temporary
 * state folder and copies examples/pipeline; after them, stops the cloud and removes both.
 */
export function useCloudWithExample(region: string): CloudWithExample {
  let started: { cloud: LocalCloud; app: { dir: string; cleanup(): void }; sqs: SQSClient } | undefined;
  let state: string | undefined;
  const need = () => {
    if (!started) throw new Error("the cloud is not started yet: use it inside a test or a later before()");
    return started;
  };
  before(async () => {
    state = mkdtempSync(join(tmpdir(), "sluice-cloud-"));
    const cloud = await startCloud(state);
    const app = copyApp(join(ROOT, "examples", "pipeline"));
    started = { cloud, app, sqs: new SQSClient({ region, endpoint: cloud.url }) };
  });
  after(async () => {
    started?.sqs.destroy();
    await started?.cloud.stop();
    started?.app.cleanup();
    if (state) rmSync(state, { recursive: true, force: true });
  });
  const fixture: CloudWithExample = {
    get url() {
      return need().cloud.url;
    },
    get dir() {
      return need().app.dir;
    },
    get sqs() {
      return need().sqs;
    },
    at: (...args) => [...args, "--endpoint-url", need().cloud.url],
    deploy: (...args) =>
      run(
        fixture.at(
          "deploy",
          need().app.dir,
          "--region",
          region,
          "--health-checker-id",
          HEALTH_CHECKER_ID,
          ...args,
        ),
      ),
  };
  return fixture;
}
