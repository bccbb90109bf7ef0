import type { Condition, Matcher } from "./types.ts";

/** Builds a condition and its canonical key, so identical conditions can share index entries. */
export function conditionOf(path: string, matchers: readonly Matcher[]): Condition {
  const present = matchers.filter((m) => !(m.kind === "exists" && !m.exists));
  const absentOk = present.length < matchers.length;
  const parts = [...new Set(present.map(matcherKey))].sort();
  if (absentOk) parts.push("absent");
  return {
    path,
    present,
    absentOk,
    key: parts.join("\u0000"),
    exactOnly: !absentOk && present.every((m) => m.kind === "exact"),
  };
}

export function matcherKey(m: Matcher): string {
  switch (m.kind) {
    case "exact":
      return `=${m.key}`;
    case "prefix":
    case "suffix":
      return `${m.kind}${m.ignoreCase ? "/i" : ""}:${m.value}`;
    case "equals-ignore-case":
      return `eic:${m.lower}`;
    case "wildcard":
      return `wc:${m.pattern.source}`;
    case "numeric":
      return `num:${bound(m.lower)}:${bound(m.upper)}`;
    case "cidr":
      return `cidr:${m.low}-${m.high}`;
    case "exists":
      return `exists:${m.exists}`;
    case "anything-but":
      return `not(${m.excluded.map(matcherKey).sort().join(",")})`;
  }
}

function bound(b: { key: number; inclusive: boolean } | undefined): string {
  return b === undefined ? "" : `${b.key}${b.inclusive ? "i" : "x"}`;
}
