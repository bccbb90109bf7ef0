/**
 * The line `dev` prints at start when functions declare another Node.js major than the host
 * runs: execution environments are threads of the host's Node, so a nodejs24.x function runs
 * on Node 20 locally. Lambda's rules for its runtime (handler styles, AWS_EXECUTION_ENV) still
 * apply; the language and Node APIs are the host's.
 */
import type { AppSpec } from "../model/app-spec.ts";
import { RUNTIMES } from "../model/limits.ts";

/** One line naming each runtime whose Node major differs from the host's, or undefined. */
export function runtimeMismatchNote(spec: AppSpec, hostNodeVersion: string): string | undefined {
  const hostMajor = Number(hostNodeVersion.replace(/^v/, "").split(".")[0]);
  const byRuntime = new Map<string, string[]>();
  for (const fn of Object.values(spec.functions)) {
    if (RUNTIMES[fn.runtime].nodeMajor === hostMajor) continue;
    byRuntime.set(fn.runtime, [...(byRuntime.get(fn.runtime) ?? []), fn.name]);
  }
  if (byRuntime.size === 0) return undefined;
  const parts = [...byRuntime].map(
    ([runtime, names]) =>
      `${runtime} (Node.js ${RUNTIMES[runtime as keyof typeof RUNTIMES].nodeMajor}): ${names.join(", ")}`,
  );
  return `note: functions run on this machine's Node.js ${hostNodeVersion.replace(/^v/, "")}, not their runtime's Node.js major: ${parts.join("; ")}. Lambda's rules for each runtime still apply; install that Node.js to match its language and APIs too.`;
}
