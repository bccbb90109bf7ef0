/**
 * The user's switchover hook: a module whose default export is an async function, called after
 * the new stack is up and before messages move, to move traffic (DNS, a router, feature flags).
 * It runs again when an interrupted switchover is re-run, so it must be idempotent.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { importCompiled } from "../../bundle/import-compiled.ts";
import type { LoadedApp } from "../../bundle/load-app.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";

export const DEFAULT_HOOK_FILE = "sluice.switchover.ts";

export interface SwitchoverStack {
  readonly stackName: string;
  readonly outputs: Readonly<Record<string, string>>;
}

export interface SwitchoverContext {
  readonly region: string;
  readonly stage: string;
  readonly old: SwitchoverStack;
  readonly new: SwitchoverStack;
}

export type SwitchoverHook = (context: SwitchoverContext) => Promise<void> | void;

/** `--hook FILE`, else `sluice.switchover.ts` in the app's folder when present, else none. */
export function hookFile(app: LoadedApp, given?: string): string | undefined {
  if (given !== undefined) return resolve(given);
  const file = join(app.dir, DEFAULT_HOOK_FILE);
  return existsSync(file) ? file : undefined;
}

export async function loadHook(app: LoadedApp, file: string): Promise<SwitchoverHook> {
  if (!existsSync(file)) {
    throw new DeployError(
      DEPLOY_ERROR.hook,
      `the switchover hook ${file} does not exist; pass an existing file with --hook`,
    );
  }
  const exported = await importCompiled(file, join(app.stateDir, "cache"), "SLUICE_SWITCHOVER_HOOK_BUILD");
  if (typeof exported !== "function") {
    throw new DeployError(
      DEPLOY_ERROR.hook,
      `${file} must default-export a function: \`export default async ({ region, stage, old, new: next }) => { ... }\`; its default export is ${typeof exported}`,
    );
  }
  return exported as SwitchoverHook;
}
