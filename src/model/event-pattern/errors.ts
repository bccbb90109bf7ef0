import { AwsError } from "../errors.ts";

/** The prefix EventBridge puts before every reason it gives for rejecting an event pattern. */
export const PATTERN_ERROR_PREFIX = "Event pattern is not valid. Reason: ";

/**
 * An event pattern EventBridge would refuse (PutRule, TestEventPattern): AWS answers
 * `InvalidEventPatternException` with HTTP 400 and `Event pattern is not valid. Reason: ...`.
 * `reason` is the part after the prefix, worded as AWS's rule compiler words it.
 */
export class PatternError extends AwsError {
  readonly reason: string;

  constructor(reason: string, context: Record<string, unknown> = {}) {
    super("InvalidEventPatternException", `${PATTERN_ERROR_PREFIX}${reason}`, 400, context);
    this.reason = reason;
  }
}
