import { SluiceError } from "./errors.ts";

/** One problem in an application definition, with enough context to fix it without the docs. */
export interface ConfigIssue {
  /** Where the problem is, e.g. `functions.render.consumes.maxConcurrency`. */
  readonly path: string;
  /** The value found there (`undefined` when it is missing). */
  readonly value: unknown;
  /** What is allowed, e.g. `an integer from 2 to 1000`. */
  readonly allowed: string;
  /** How to fix it, e.g. `set maxConcurrency to 2 or more, or remove it`. */
  readonly fix: string;
  /** What went wrong, e.g. `maxConcurrency is below the minimum`. */
  readonly message: string;
}

/**
 * The definition is invalid. `issues` holds every problem found, not just the first, so a user
 * fixes them in one go.
 */
export class ConfigError extends SluiceError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super("SLUICE_INVALID_CONFIG", formatIssues(issues), { context: { issues } });
    this.issues = issues;
  }
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  const lines = issues.map(
    (issue) =>
      `  ${issue.path}: ${issue.message} (got ${describeValue(issue.value)}; allowed: ${issue.allowed}; fix: ${issue.fix})`,
  );
  return [`invalid application definition, ${count}:`, ...lines].join("\n");
}

/** A short, single-line rendering of any value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "function") return "a function";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
