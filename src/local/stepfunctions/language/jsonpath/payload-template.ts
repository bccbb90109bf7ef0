/**
 * Payload templates: Parameters, ItemSelector, ResultSelector and (JSONPath) Assign
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html).
 * A key ending in `.$` takes the value of its path or intrinsic function and loses the suffix;
 * every other value is copied, objects and arrays walked for more `.$` keys.
 */
import { StatesError } from "../states-error.ts";
import { evaluateIntrinsic } from "./intrinsics/evaluate-intrinsic.ts";
import type { RandomSource } from "./intrinsics/intrinsic-args.ts";
import { isIntrinsic } from "./intrinsics/intrinsic-syntax.ts";
import { evaluatePath, type PathData } from "./paths.ts";

export function buildPayload(template: unknown, from: PathData, randomness: RandomSource): unknown {
  if (Array.isArray(template)) return template.map((item) => buildPayload(item, from, randomness));
  if (template === null || typeof template !== "object") return template;
  // fromEntries defines own properties, so a key such as `__proto__` stays data.
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) =>
      key.endsWith(".$")
        ? [key.slice(0, -2), dynamicValue(key, value, from, randomness)]
        : [key, buildPayload(value, from, randomness)],
    ),
  );
}

/** The value of one `.$` field: a path (`$`, `$$`, `$name`) or an intrinsic function. */
export function dynamicValue(
  field: string,
  expression: unknown,
  from: PathData,
  randomness: RandomSource,
): unknown {
  if (typeof expression !== "string") {
    throw new StatesError(
      "States.Runtime",
      `The value for the field '${field}' must be a STRING that contains a JSONPath but was ${JSON.stringify(expression)}`,
    );
  }
  if (isIntrinsic(expression)) return evaluateIntrinsic(expression, from, randomness);
  const result = evaluatePath(expression, from);
  if (!result.found) {
    throw new StatesError(
      "States.Runtime",
      `The JSONPath '${expression}' specified for the field '${field}' could not be found in the input '${JSON.stringify(from.data)}'`,
    );
  }
  return result.value;
}
