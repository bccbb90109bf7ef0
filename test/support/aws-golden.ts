/**
 * The apps whose templates are committed under test/golden/: every example, the fixture that
 * shows decorators, the one with HTTP and WebSocket APIs and a health check, and one with
 * asynchronous invocation destinations and a dead-letter queue, and one with DynamoDB tables and
 * stream mappings, and one with an EC2 and a Fargate server fleet. `SLUICE_UPDATE_GOLDEN=1 node --import tsx --test test/unit/aws-synth-golden.test.ts`
 * (or `npm run golden`) rewrites them after an intended change.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthApp } from "../../src/aws/synth-app.ts";
import type { Template } from "../../src/aws/template/template.ts";
import { loadApp } from "../../src/bundle/load-app.ts";

export const ROOT = resolve(import.meta.dirname, "..", "..");
export const GOLDEN_DIR = join(ROOT, "test", "golden");

export interface GoldenApp {
  readonly name: string;
  readonly dir: string;
}

export function goldenApps(): GoldenApp[] {
  const examples = readdirSync(join(ROOT, "examples"))
    .filter((name) => existsSync(join(ROOT, "examples", name, "sluice.config.ts")))
    .map((name) => ({ name, dir: join(ROOT, "examples", name) }));
  const fixtures = [
    "mixed-ec2",
    "api",
    "async-golden",
    "schedules-golden",
    "events",
    "tables-golden",
    "failover-golden",
    "servers-golden",
  ].map((name) => ({
    name,
    dir: join(ROOT, "test", "fixtures", "apps", name),
  }));
  return [...examples, ...fixtures];
}

export function goldenFile(app: GoldenApp): string {
  return join(GOLDEN_DIR, `${app.name}.template.json`);
}

/** Synthesises a copy of the app, so loading it leaves nothing in the repository. */
export async function synthCopy(app: GoldenApp): Promise<Template> {
  const dir = mkdtempSync(join(tmpdir(), "sluice-golden-"));
  try {
    cpSync(app.dir, dir, { recursive: true, filter: (path) => !path.includes(".sluice") });
    return await synthApp(await loadApp(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
