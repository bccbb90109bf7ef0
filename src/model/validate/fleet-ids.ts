/**
 * Logical IDs a fleet's resources take (issue 19). Synth names them `<Fleet>Fleet<Kind>` and
 * every other component's `<Name><Kind>`, both from the name in PascalCase
 * (model/naming.ts `pascal`), and a template's logical IDs are unique. A component whose
 * PascalCase name is a fleet's followed by `Fleet` and nothing or another word could take one of
 * the fleet's: function `web-fleet-task`'s role is `WebFleetTaskRole`, fleet `web`'s task role;
 * function `web-fleet`'s log group is `WebFleetLogGroup`, the fleet's log group. Refused here, so
 * `sluice dev` refuses what synth would.
 */
import { pascal } from "../naming.ts";
import type { Issues } from "./values.ts";
import { isRecord, join } from "./values.ts";

/** The definition's sections whose keys name components that get logical IDs of their own. */
const NAMED_SECTIONS = [
  "functions",
  "queues",
  "tables",
  "buckets",
  "stateMachines",
  "schedules",
  "buses",
  "rules",
] as const;

export function checkFleetIds(
  issues: Issues,
  fleets: Iterable<string>,
  definition: Readonly<Record<string, unknown>>,
): void {
  const stems = [...fleets].map((fleet) => ({ fleet, prefix: `${pascal(fleet)}Fleet` }));
  if (stems.length === 0) return;
  for (const section of NAMED_SECTIONS) {
    const components = definition[section];
    if (!isRecord(components)) continue;
    for (const name of Object.keys(components)) {
      const stem = pascal(name);
      // The next character starts another word (a capital or a digit) or there is none.
      const owner = stems.find(
        ({ prefix }) => stem.startsWith(prefix) && !/^[a-z]/.test(stem.slice(prefix.length)),
      );
      if (owner === undefined) continue;
      issues.add(
        join(section, name),
        name,
        `"${name}" would name its resources ${stem}…, and fleet "${owner.fleet}" names its own ` +
          `${owner.prefix}… (its task role ${owner.prefix}TaskRole, its log group ${owner.prefix}LogGroup): ` +
          "logical IDs must be unique",
        `a name that does not start with the fleet's name followed by "fleet"`,
        `rename "${name}", e.g. "${name.replace(/fleet/i, "svc")}"`,
      );
    }
  }
}
