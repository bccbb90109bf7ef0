/**
 * The intrinsics for arrays
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays).
 */
import { isDeepStrictEqual } from "node:util";
import { LIMITS } from "../../../../../model/limits.ts";
import { arity, arrayArg, type IntrinsicFunction, integerArg, invalid } from "./intrinsic-args.ts";

export const arrayFunctions: Readonly<Record<string, IntrinsicFunction>> = {
  "States.Array": (call) => [...call.args],

  "States.ArrayPartition": (call) => {
    arity(call, 2);
    const array = arrayArg(call, 0);
    const size = integerArg(call, 1);
    if (size <= 0) throw invalid(call, `the chunk size must be a positive integer, received ${size}`);
    const chunks: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
    return chunks;
  },

  "States.ArrayContains": (call) => {
    arity(call, 2);
    return arrayArg(call, 0).some((item) => isDeepStrictEqual(item, call.args[1]));
  },

  "States.ArrayRange": (call) => {
    arity(call, 3);
    const [first, last, step] = [integerArg(call, 0), integerArg(call, 1), integerArg(call, 2)];
    if (step === 0) throw invalid(call, "the step (third argument) must not be 0");
    const count = Math.max(0, Math.floor((last - first) / step) + 1);
    const max = LIMITS.stepFunctionsIntrinsics.arrayRangeItems.max;
    if (count > max) throw invalid(call, `the range has ${count} items; at most ${max} are allowed`);
    return Array.from({ length: count }, (_, i) => first + i * step);
  },

  "States.ArrayGetItem": (call) => {
    arity(call, 2);
    const array = arrayArg(call, 0);
    const index = integerArg(call, 1);
    if (index < 0 || index >= array.length) {
      throw invalid(call, `index ${index} is outside the array of ${array.length} items`);
    }
    return array[index];
  },

  "States.ArrayLength": (call) => {
    arity(call, 1);
    return arrayArg(call, 0).length;
  },

  "States.ArrayUnique": (call) => {
    arity(call, 1);
    const unique: unknown[] = [];
    for (const item of arrayArg(call, 0)) {
      if (!unique.some((kept) => isDeepStrictEqual(kept, item))) unique.push(item);
    }
    return unique;
  },
};
