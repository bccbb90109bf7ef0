/**
 * The compiled form of an EventBridge event pattern. A pattern compiles to branches (one per
 * combination of `$or` alternatives); a branch matches when every one of its conditions does; a
 * condition matches when any of its matchers accepts a value found at its field path.
 */

/** One test on a field's value. Exact values are compared through their value key (value-key.ts). */
export type Matcher =
  | { readonly kind: "exact"; readonly key: string }
  | { readonly kind: "prefix"; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: "suffix"; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: "equals-ignore-case"; readonly lower: string }
  | { readonly kind: "wildcard"; readonly pattern: WildcardPattern }
  | { readonly kind: "numeric"; readonly lower?: NumericBound; readonly upper?: NumericBound }
  | { readonly kind: "cidr"; readonly low: string; readonly high: string }
  | { readonly kind: "exists"; readonly exists: boolean }
  /** Matches any present value that none of `excluded` accepts. */
  | { readonly kind: "anything-but"; readonly excluded: readonly Matcher[] };

export interface NumericBound {
  /** Comparable key of the bound (numeric-key.ts). */
  readonly key: number;
  readonly inclusive: boolean;
}

/** A wildcard value split at its unescaped `*`s: `a*b\*c` → parts `["a", "b*c"]`. */
export interface WildcardPattern {
  readonly source: string;
  readonly parts: readonly string[];
}

export interface Condition {
  /** Dotted field path, e.g. `detail.state`. */
  readonly path: string;
  /** Matchers that need a value at the path (every matcher but `exists: false`). */
  readonly present: readonly Matcher[];
  /** True when the condition also holds if the path has no value (`exists: false`). */
  readonly absentOk: boolean;
  /** Canonical text of the condition: two conditions with the same key accept the same values. */
  readonly key: string;
  /** True when every matcher is an exact value, so an index can find it by lookup. */
  readonly exactOnly: boolean;
}

export interface Branch {
  /** Exact-only conditions first, then the rest, each group sorted by path. */
  readonly conditions: readonly Condition[];
}

export interface CompiledPattern {
  readonly branches: readonly Branch[];
  /** Every field path the pattern reads. */
  readonly paths: readonly string[];
  /** True when a `wildcard` (or `anything-but` wildcard) is used; AWS caps such rules per bus. */
  readonly usesWildcard: boolean;
}
