/** `--allow-host NAME` (repeatable, or a comma list) for the commands that start servers. */

import { gotValue } from "../model/errors.ts";
import { UsageError } from "./usage-error.ts";

/** Help lines in `dev`'s layout: the option in 23 columns, then its text. */
export const ALLOW_HOST_HELP = [
  "  --allow-host NAME    a Host name the servers answer besides loopback ones (localhost,",
  "                       *.localhost, 127.x, [::1]); repeat it or give a comma list; *.NAME",
  "                       allows subdomains. Needed to reach them by a name, e.g. with --host 0.0.0.0",
];

const NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$|^\[?[0-9a-f:.]+\]?$/i;

export function allowHostOption(value: unknown, command: string): string[] | undefined {
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value]).map(String);
  const names = values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  for (const name of names) {
    if (!NAME.test(name) || name.length > 253)
      throw new UsageError(
        gotValue("--allow-host takes a host name such as devbox.lan or *.devbox.lan", name),
        command,
      );
  }
  return names;
}
