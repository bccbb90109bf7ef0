import { LIMITS } from "../../../model/limits.ts";
import { DynamoDbValidationError } from "./errors.ts";

/**
 * DynamoDB numbers are decimals (up to 38 significant digits, magnitudes 1E-130 to 9.99…E+125,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number),
 * so a JavaScript double would round them. This is a small exact decimal on bigint: value =
 * coefficient × 10^exponent, kept normalised (no trailing zeros in the coefficient; zero is 0e0),
 * so equal numbers have equal representations. Chosen over a library (decimal.js) because
 * DynamoDB needs only parse, compare, add, subtract and the canonical text, and the local layer
 * takes no new runtime dependency for that.
 */
export interface Decimal {
  readonly coefficient: bigint;
  readonly exponent: number;
}

const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function parseDecimal(text: string): Decimal | undefined {
  const match = NUMBER_TEXT.exec(text.trim());
  if (match === null) return undefined;
  const [, sign = "", whole = "", fraction = "", exponentText] = match;
  if (whole.length + fraction.length === 0) return undefined;
  const exponent = (exponentText === undefined ? 0 : Number(exponentText)) - fraction.length;
  if (!Number.isSafeInteger(exponent)) return undefined;
  const magnitude = BigInt(whole + fraction);
  return normalise(sign === "-" ? -magnitude : magnitude, exponent);
}

function normalise(coefficient: bigint, exponent: number): Decimal {
  if (coefficient === 0n) return { coefficient: 0n, exponent: 0 };
  let c = coefficient;
  let e = exponent;
  while (c % 10n === 0n) {
    c /= 10n;
    e += 1;
  }
  return { coefficient: c, exponent: e };
}

/** Both coefficients scaled to the smaller exponent, so they can be compared or added. */
function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [
    a.coefficient * 10n ** BigInt(a.exponent - exponent),
    b.coefficient * 10n ** BigInt(b.exponent - exponent),
    exponent,
  ];
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, exponent] = aligned(a, b);
  return normalise(x + y, exponent);
}

export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  return addDecimal(a, { coefficient: -b.coefficient, exponent: b.exponent });
}

function digitCount(coefficient: bigint): number {
  return (coefficient < 0n ? -coefficient : coefficient).toString().length;
}

/**
 * Refuses a number DynamoDB cannot store, with DynamoDB's messages: more than 38 significant
 * digits, or a magnitude outside 1E-130 .. 9.99…E+125.
 */
export function checkStorable(value: Decimal): void {
  if (value.coefficient === 0n) return;
  const digits = digitCount(value.coefficient);
  const { numberPrecision, numberMaxExponent, numberMinExponent } = LIMITS.dynamodbExpressions;
  // The order of magnitude of the leading digit: 1.5E+3 → 3.
  const magnitude = value.exponent + digits - 1;
  if (magnitude > numberMaxExponent.max) {
    throw new DynamoDbValidationError(
      "Number overflow. Attempting to store a number with magnitude larger than supported range",
    );
  }
  if (magnitude < numberMinExponent.min) {
    throw new DynamoDbValidationError(
      "Number underflow. Attempting to store a number with magnitude smaller than supported range",
    );
  }
  if (digits > numberPrecision.max) {
    throw new DynamoDbValidationError("Attempting to store more than 38 significant digits in a Number");
  }
}

/** The canonical text DynamoDB answers with: no exponent, no trailing zeros, no "+" sign. */
export function formatDecimal(value: Decimal): string {
  const negative = value.coefficient < 0n;
  const digits = (negative ? -value.coefficient : value.coefficient).toString();
  let text: string;
  if (value.exponent >= 0) {
    text = digits + "0".repeat(value.exponent);
  } else {
    const point = digits.length + value.exponent;
    text =
      point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${"0".repeat(-point)}${digits}`;
  }
  return negative ? `-${text}` : text;
}
