/**
 * Lambda's Node.js runtimes provide the AWS SDK v3 to code that does not bundle it, and Sluice's
 * bundles leave `@aws-sdk/*` out as Lambda's own tooling does. Locally, functions get Sluice's own
 * copy the same way: a `node_modules` link in the folder their code folders sit in, so an app
 * without the SDK installed runs as it does on AWS.
 */
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";

/** Whether Node's resolution from `dir` finds an `@aws-sdk` scope of the app's own. */
export function hasOwnAwsSdk(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, "node_modules", "@aws-sdk"))) return true;
    if (dirname(at) === at) return false;
  }
}

/** Links `root/node_modules` to the folder Sluice resolves `@aws-sdk/*` from, once. */
export function provideAwsSdk(root: string): void {
  const link = join(root, "node_modules");
  if (existsSync(link)) return;
  mkdirSync(root, { recursive: true });
  const entry = createRequire(import.meta.url).resolve("@aws-sdk/client-sqs");
  const marker = `${sep}node_modules${sep}`;
  const modules = entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
  try {
    symlinkSync(modules, link, "dir");
  } catch (error) {
    // Two starts at once: the other one made the same link.
    if ((error as { code?: string }).code !== "EEXIST") throw error;
  }
}
