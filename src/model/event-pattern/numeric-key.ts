/**
 * EventBridge compares numbers through a fixed-point form: values from -5.0e9 to +5.0e9,
 * six digits after the decimal point (AWS: "limited to values between -5.0e9 and +5.0e9
 * inclusive, with 15 digits of precision, or six digits to the right of the decimal point").
 * The key below is the same double arithmetic AWS's rule engine uses, so two numbers compare
 * equal exactly when AWS says they do (301.8 equals 3.018e2; digits past the sixth decimal are
 * dropped).
 */
export const NUMERIC_LIMIT = 5e9;

/** Java's `Double.toString` of the limits, as AWS's error message shows them. */
export const NUMERIC_RANGE_MESSAGE = "Value must be between -5.0E9 and 5.0E9, inclusive";

/** The comparable key of `value`, or undefined when it is outside the numeric range. */
export function numericKey(value: number): number | undefined {
  if (!(value >= -NUMERIC_LIMIT && value <= NUMERIC_LIMIT)) return undefined;
  return Math.trunc(1e6 * (NUMERIC_LIMIT + value));
}
