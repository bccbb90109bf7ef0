/**
 * The rig of the Lambda surface tests: fixture bundles built with esbuild (as production bundles
 * are), a Lambda service (worker threads) over them, and a collector of its log lines.
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { ManualClock } from "../../src/local/clock/clock.ts";
import { createLambdaService } from "../../src/local/lambda/lambda-service.ts";
import type { LambdaService, LocalLambdaService, LogLine } from "../../src/local/lambda/types.ts";
import type { Tracer } from "../../src/local/traces/index.ts";
import type { FunctionSpec } from "../../src/model/app-spec.ts";
import { tempDir } from "./temp.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/lambda/", import.meta.url));

export interface Bundles {
  /** Absolute path of a fixture's bundle, by fixture name (`echo` for echo.mjs). */
  file(name: string): string;
  cleanup(): void;
}

/** Bundles fixtures the way Sluice bundles functions: one ESM file each, wrapper included. */
export async function buildFixtures(names: readonly string[]): Promise<Bundles> {
  const temp = tempDir("sluice-lambda-");
  const dir = temp.dir;
  await build({
    entryPoints: names.map((name) => join(FIXTURES, `${name}.mjs`)),
    outdir: dir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "silent",
  });
  return {
    file: (name) => join(dir, `${name}.mjs`),
    cleanup: temp.cleanup,
  };
}

export interface Harness {
  readonly service: LocalLambdaService;
  readonly logs: LogCollector;
  close(): Promise<void>;
}

/** A service over `functions`, each running `code[fn.name]` (a fixture and an export). */
export function createHarness(
  clock: ManualClock,
  functions: readonly FunctionSpec[],
  code: Readonly<Record<string, { file: string; exportName: string }>>,
  extra: {
    idleTimeoutMs?: number;
    inactiveAfterMs?: number;
    environment?: Record<string, string>;
    tracer?: Tracer;
  } = {},
): Harness {
  const service = createLambdaService({
    functions,
    code: (fn) => {
      const found = code[fn.name];
      if (!found) throw new Error(`no fixture for ${fn.name}`);
      return found;
    },
    clock,
    region: "eu-west-1",
    accountId: "123456789012",
    ...(extra.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: extra.idleTimeoutMs }),
    ...(extra.inactiveAfterMs === undefined ? {} : { inactiveAfterMs: extra.inactiveAfterMs }),
    ...(extra.environment ? { environment: () => extra.environment ?? {} } : {}),
    ...(extra.tracer ? { tracer: extra.tracer } : {}),
  });
  const logs = new LogCollector(service);
  return { service, logs, close: () => service.close() };
}

export class LogCollector {
  readonly lines: LogLine[] = [];
  private readonly waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] =
    [];

  constructor(service: LambdaService) {
    service.onLog((line) => {
      this.lines.push(line);
      for (const waiter of [...this.waiters]) {
        if (!waiter.predicate(line)) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    });
  }

  /** The first line (seen or still to come) that matches. */
  waitFor(predicate: (line: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Texts of one request's lines, in order. */
  of(requestId: string): string[] {
    return this.lines.filter((line) => line.requestId === requestId).map((line) => line.text);
  }
}

export function parse(payload: string): Record<string, unknown> {
  return JSON.parse(payload) as Record<string, unknown>;
}
