/**
 * Base of every error Sluice raises on purpose. `code` is stable (tests and callers match on it);
 * `context` carries what helps a user find the problem (resource path, message id, request id).
 * The CLI shows these without a stack trace; anything else is a bug and shows its stack.
 */
export class SluiceError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
  }
}

/**
 * An error that AWS itself would answer with: `code` is AWS's error code and `statusCode` the
 * HTTP status AWS uses for it, so the wire endpoint can answer exactly as AWS does.
 */
export class AwsError extends SluiceError {
  readonly statusCode: number;
  /** True when AWS blames the caller (4xx, `Sender` in query-protocol XML). */
  readonly senderFault: boolean;
  /**
   * The code the query (XML) protocol and `x-amzn-query-error` carry, where a service's differs
   * from `code` (SQS: `AWS.SimpleQueueService.NonExistentQueue`). Declared, not defined, so an
   * error without one has no such property at all. @default code
   */
  declare readonly queryCode?: string;

  constructor(code: string, message: string, statusCode: number, context: Record<string, unknown> = {}) {
    super(code, message, { context });
    this.statusCode = statusCode;
    this.senderFault = statusCode < 500;
  }
}

/**
 * The one way a message names a rejected value: what is allowed, then the value received, quoted,
 * e.g. `--format takes json or yaml; got "xml"`. The CLI's option checks all read this way.
 */
export function gotValue(allowed: string, value: unknown): string {
  return `${allowed}; got "${String(value)}"`;
}
