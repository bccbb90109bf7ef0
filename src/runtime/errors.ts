/**
 * Errors the wrapper raises inside a function. Their `name` is what Lambda reports as
 * `errorType`, so they use Lambda's own names where Lambda has one. They extend Error, not
 * SluiceError: the runtime is bundled into every function and may import only types from model.
 */
export class RuntimeError extends Error {
  /** Stable code; equal to `name`, the `errorType` Lambda reports. */
  readonly code: string;

  constructor(name: string, message: string) {
    super(message);
    this.name = name;
    this.code = name;
  }
}

/** Lambda's error when the configured export is missing or not a function. */
export function handlerNotFound(message: string): RuntimeError {
  return new RuntimeError("Runtime.HandlerNotFound", message);
}

/** Lambda's message, word for word, for a callback-style handler on Node.js 24 and later. */
export const CALLBACK_HANDLER_REMOVED =
  "ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. " +
  "You need to modify this function to use a supported handler signature to use Node.js 24 or later. " +
  "For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.";

export function callbackHandlerDeprecated(): RuntimeError {
  return new RuntimeError("Runtime.CallbackHandlerDeprecated", CALLBACK_HANDLER_REMOVED);
}
