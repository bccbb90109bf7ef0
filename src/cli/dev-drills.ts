/**
 * Drills act on a running `sluice dev` only: they break and heal what its servers answer, so
 * there is nothing to drill without one (unlike `queues` or `invoke`, which open the app's state).
 */
import { join, resolve } from "node:path";
import type { DrillOperations } from "../local/drill-operations.ts";
import { SluiceError } from "../model/errors.ts";
import { appDir, type ParsedArgs } from "./command.ts";
import { runningDev } from "./connect.ts";

export async function devDrills(args: ParsedArgs): Promise<DrillOperations> {
  const dir = resolve(appDir(args));
  const ops = await runningDev(join(dir, ".sluice"));
  if (ops?.drills === undefined) {
    throw new SluiceError(
      "SLUICE_NO_DEV",
      `no \`sluice dev\` is running for the app in ${dir}; drills act on a running dev: start \`sluice dev\` there first, then run this in another terminal`,
    );
  }
  return ops.drills;
}
