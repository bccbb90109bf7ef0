/**
 * The message EventBridge sends to a target's dead-letter queue: the event itself as the body,
 * and message attributes saying why (eb-rule-dlq): ERROR_CODE, ERROR_MESSAGE,
 * EXHAUSTED_RETRY_CONDITION (when retries or age ran out), RETRY_ATTEMPTS, RULE_ARN, TARGET_ARN.
 */
import type { MessageAttributes } from "../sqs/index.ts";
import type { ExhaustedCondition } from "./event-retry-policy.ts";

export interface DeadLetterFacts {
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Absent when the failure was not retriable (EventBridge sends those at once). */
  readonly exhausted?: ExhaustedCondition;
  readonly retryAttempts: number;
  readonly ruleArn: string;
  readonly targetArn: string;
}

export function deadLetterAttributes(facts: DeadLetterFacts): MessageAttributes {
  const text = (stringValue: string) => ({ dataType: "String", stringValue });
  return {
    ERROR_CODE: text(facts.errorCode),
    // SQS refuses empty attribute values.
    ERROR_MESSAGE: text(facts.errorMessage || facts.errorCode),
    ...(facts.exhausted === undefined ? {} : { EXHAUSTED_RETRY_CONDITION: text(facts.exhausted) }),
    RETRY_ATTEMPTS: text(String(facts.retryAttempts)),
    RULE_ARN: text(facts.ruleArn),
    TARGET_ARN: text(facts.targetArn),
  };
}

/** EventBridge's error code for a failed delivery, and whether retrying could help. */
export function classifyFailure(error: unknown): { code: string; message: string; retriable: boolean } {
  const {
    code,
    statusCode: status,
    message,
  } = error as { code?: string; statusCode?: number; message?: string };
  const text = message ?? String(error);
  if (code === "TooManyRequestsException" || status === 429)
    return { code: "THROTTLING", message: text, retriable: true };
  if (code === "ResourceNotFoundException" || code === "QueueDoesNotExist" || status === 404) {
    return { code: "NO_RESOURCE", message: text, retriable: false };
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    return { code: "SDK_CLIENT_ERROR", message: text, retriable: false };
  }
  return { code: "INTERNAL_ERROR", message: text, retriable: true };
}
