/**
 * IAM's evaluation of an identity-based policy of Allow statements: a request is allowed when some
 * statement names its action and its resource. Action names match case-insensitively, resources
 * case-sensitively; in both, `*` matches any run of characters and `?` any one character.
 */
import type { PolicyDocument } from "./permissions.ts";

export function policyAllows(policy: PolicyDocument, action: string, resource: string): boolean {
  return policy.Statement.some(
    (statement) =>
      statement.Effect === "Allow" &&
      statement.Action.some((pattern) => wildcardMatch(pattern, action, true)) &&
      statement.Resource.some((pattern) => wildcardMatch(pattern, resource, false)),
  );
}

const cache = new Map<string, RegExp>();

export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const key = `${ignoreCase ? "i" : "c"}${pattern}`;
  let regex = cache.get(key);
  if (!regex) {
    const body = pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
      .join("");
    regex = new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
    cache.set(key, regex);
  }
  return regex.test(value);
}
