import { compilePattern } from "./compile-pattern.ts";
import { PatternError } from "./errors.ts";

export type PatternCheck = { readonly valid: true } | { readonly valid: false; readonly error: PatternError };

/**
 * Checks an event pattern as PutRule and TestEventPattern do, without throwing: for validating a
 * definition and reporting every invalid rule at once.
 */
export function validatePattern(pattern: unknown): PatternCheck {
  try {
    compilePattern(pattern);
    return { valid: true };
  } catch (error) {
    if (error instanceof PatternError) return { valid: false, error };
    throw error;
  }
}
