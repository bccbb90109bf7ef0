/** Running the CLI in this process with its output captured, on copies of the fixture apps. */
import { cpSync } from "node:fs";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.ts";
import type { Output } from "../../src/cli/output.ts";
import { tempDir } from "./temp.ts";

const APPS = fileURLToPath(new URL("../fixtures/apps/", import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `sluice <argv>` in this process, without colour, and returns its exit code and output. */
export async function run(argv: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (text) => out.push(text), err: (text) => err.push(text), color: false };
  const code = await main(argv, output);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A copy of test/fixtures/apps/<name> in a temp folder, removed after the test (commands write `.sluice/`). */
export function app(t: TestContext, name: string): string {
  const temp = tempDir(`sluice-cli-${name}-`);
  cpSync(`${APPS}${name}`, temp.dir, { recursive: true });
  t.after(() => temp.cleanup());
  return temp.dir;
}
