/** The `functions` a server fleet serves (issue 19), read by servers.ts. */
import { closest, didYouMean } from "./suggest.ts";
import { type Issues, join, quoteList, readString } from "./values.ts";

/**
 * The functions a fleet serves: at least one, each a function of the app, listed once, and in
 * no other fleet (two fleets serving one function would both consume its queue and answer its
 * routes, and a role could not say which one stands in for Lambda).
 */
export function readServedFunctions(
  issues: Issues,
  path: string,
  fleet: string,
  value: unknown,
  functions: ReadonlySet<string>,
  servedBy: Map<string, string>,
): string[] | undefined {
  const first = [...functions][0] ?? "api";
  if (!Array.isArray(value) || value.length === 0) {
    issues.add(
      path,
      value,
      `fleet "${fleet}" must name the functions it serves`,
      "a non-empty array of the app's function names",
      `write functions: ["${first}"]`,
    );
    return undefined;
  }
  const served: string[] = [];
  let valid = true;
  value.forEach((raw: unknown, index) => {
    const at = join(path, index);
    const name = readString(issues, at, raw, `"${first}"`);
    if (name === undefined) {
      valid = false;
      return;
    }
    if (!functions.has(name)) {
      const suggestion = closest(name, functions);
      issues.add(
        at,
        name,
        `"${name}" is not a function of the app.${didYouMean(name, functions)}`,
        `one of ${quoteList(functions)}`,
        suggestion === undefined ? `remove "${name}", or define it under functions` : `write "${suggestion}"`,
      );
      valid = false;
      return;
    }
    if (served.includes(name)) {
      const fix = `remove the second "${name}"`;
      issues.add(at, name, `fleet "${fleet}" lists "${name}" twice`, "each function once", fix);
      valid = false;
      return;
    }
    const other = servedBy.get(name);
    if (other !== undefined) {
      issues.add(
        at,
        name,
        `"${name}" is already served by fleet "${other}"; a function is served by one fleet at most`,
        "each function in at most one fleet",
        `remove "${name}" from fleet "${fleet}" or from fleet "${other}"`,
      );
      valid = false;
      return;
    }
    servedBy.set(name, fleet);
    served.push(name);
  });
  return valid ? served : undefined;
}
