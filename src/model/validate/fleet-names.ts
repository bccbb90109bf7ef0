/**
 * A fleet's name (issue 19): it becomes part of logical IDs and physical names, so it is kept to
 * letters, digits and inner hyphens, and no two fleets may spell the same logical IDs.
 */
import { pascal } from "../naming.ts";
import type { Issues } from "./values.ts";

/** Fleet names: letters, digits and inner hyphens (they become part of logical IDs and names). */
const FLEET_NAME = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
/** A Sluice choice that keeps logical IDs and tags readable; physical names are shortened anyway. */
export const FLEET_NAME_MAX = 32;

export function checkFleetName(issues: Issues, path: string, name: string): boolean {
  if (FLEET_NAME.test(name) && name.length <= FLEET_NAME_MAX) return true;
  const cleaned = name.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  issues.add(
    path,
    name,
    name.length > FLEET_NAME_MAX
      ? `the fleet name "${name.slice(0, 40)}" is ${name.length} characters, above Sluice's limit of ${FLEET_NAME_MAX}`
      : `the fleet name "${name}" has characters a fleet name cannot hold (it becomes part of resource names)`,
    `letters, digits and inner hyphens, at most ${FLEET_NAME_MAX} characters`,
    `rename it, e.g. "${cleaned.slice(0, FLEET_NAME_MAX) || "web"}"`,
  );
  return false;
}

/**
 * Two fleets whose names differ only by hyphens and the case of a part's first letter (`web-a`,
 * `webA`) would get the same logical IDs: synth names resources by the name in PascalCase.
 */
export function checkDistinctIds(
  issues: Issues,
  path: string,
  name: string,
  seen: Map<string, string>,
): void {
  const id = pascal(name);
  const other = seen.get(id);
  if (other === undefined) {
    seen.set(id, name);
    return;
  }
  issues.add(
    path,
    name,
    `fleets "${other}" and "${name}" would both name their resources ${id}Fleet…, and logical IDs must be unique`,
    "fleet names that differ by more than hyphens and capitals",
    `rename fleet "${name}"`,
  );
}
