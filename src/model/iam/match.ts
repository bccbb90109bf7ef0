/**
 * IAM's evaluation of an identity-based policy of Allow statements: a request is allowed when some
 * statement names its action and its resource. Action names match case-insensitively, resources
 * case-sensitively. In an action `*` matches any run of characters and `?` any one. In a resource
 * ARN the wildcards stay inside their colon-separated segment, so the region and account of a
 * resource are always part of the match; only a `*` that ends a segment may run past its colons
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html,
 * "Using wildcards in resource ARNs").
 */
import type { PolicyDocument } from "./function-grants.ts";

export function policyAllows(policy: PolicyDocument, action: string, resource: string): boolean {
  return policy.Statement.some(
    (statement) =>
      statement.Effect === "Allow" &&
      statement.Action.some((pattern) => wildcardMatch(pattern, action, true)) &&
      statement.Resource.some((pattern) => resourceMatch(pattern, resource)),
  );
}

/** The parts of `arn:partition:service:region:account:resource` (the resource may hold colons). */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** The ARN's parts, or undefined when the text is not an ARN. */
export function parseArn(text: string): Arn | undefined {
  const parts = text.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return undefined;
  const [, partition = "", service = "", region = "", account = ""] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(":") };
}

const cache = new Map<string, RegExp>();

export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return compiled(`${ignoreCase ? "i" : "c"}${pattern}`, pattern, ignoreCase, false).test(value);
}

/** A policy's Resource pattern against a resource ARN (or `*`), segment by segment. */
export function resourceMatch(pattern: string, resource: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === resource;
  // `*` alone, and any pattern that is not an ARN, keep plain wildcard matching.
  const arn = pattern.startsWith("arn:");
  return compiled(`${arn ? "a" : "c"}${pattern}`, pattern, false, arn).test(resource);
}

function compiled(key: string, pattern: string, ignoreCase: boolean, segments: boolean): RegExp {
  let regex = cache.get(key);
  if (!regex) {
    const body = pattern
      .split("")
      .map((c, i) => {
        if (c === "*") return segments && !endsSegment(pattern, i) ? "[^:]*" : ".*";
        if (c === "?") return segments ? "[^:]" : ".";
        return c.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
      })
      .join("");
    regex = new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
    cache.set(key, regex);
  }
  return regex;
}

/** The character at `i` is the last of its colon-separated segment. */
function endsSegment(pattern: string, i: number): boolean {
  return i === pattern.length - 1 || pattern[i + 1] === ":";
}
