import type { ConfigIssue } from "../config-error.ts";
import { SluiceError } from "../errors.ts";

/**
 * A schedule expression (or its time zone) that EventBridge would refuse. It names what is wrong,
 * what is allowed and how to fix it, and converts to a ConfigIssue for definition validation.
 */
export class ScheduleExpressionError extends SluiceError {
  readonly expression: string;
  readonly problem: string;
  readonly allowed: string;
  readonly fix: string;

  constructor(expression: string, problem: string, allowed: string, fix: string) {
    super(
      "SLUICE_INVALID_SCHEDULE",
      `invalid schedule ${JSON.stringify(expression)}: ${problem} (allowed: ${allowed}; fix: ${fix})`,
      { context: { expression } },
    );
    this.expression = expression;
    this.problem = problem;
    this.allowed = allowed;
    this.fix = fix;
  }

  /** The same problem as an issue at `path` in the definition. */
  toIssue(path: string): ConfigIssue {
    return { path, value: this.expression, message: this.problem, allowed: this.allowed, fix: this.fix };
  }
}
