/**
 * Evaluates an intrinsic function invocation: arguments first (paths read `$`, `$$` and
 * variables), then the function. A path argument that selects nothing is States.Runtime, as a
 * `.$` path is.
 */
import { StatesError } from "../../states-error.ts";
import { evaluatePath, type PathData } from "../paths.ts";
import { arrayFunctions } from "./array-functions.ts";
import type { IntrinsicFunction, RandomSource } from "./intrinsic-args.ts";
import { type IntrinsicNode, type LiteralPart, parseIntrinsic } from "./intrinsic-syntax.ts";
import { valueFunctions } from "./value-functions.ts";

const FUNCTIONS: Readonly<Record<string, IntrinsicFunction>> = { ...arrayFunctions, ...valueFunctions };

export function evaluateIntrinsic(text: string, from: PathData, randomness: RandomSource): unknown {
  return evaluateNode(parseIntrinsic(text), from, randomness);
}

function evaluateNode(node: IntrinsicNode, from: PathData, randomness: RandomSource): unknown {
  switch (node.kind) {
    case "value":
      return node.value;
    case "string":
      return node.value;
    case "path": {
      const result = evaluatePath(node.path, from);
      if (!result.found) {
        throw new StatesError(
          "States.Runtime",
          `The JsonPath argument '${node.path}' could not be found in the input '${JSON.stringify(from.data)}'`,
        );
      }
      return result.value;
    }
    case "call": {
      const fn = Object.hasOwn(FUNCTIONS, node.name) ? FUNCTIONS[node.name] : undefined;
      if (!fn) throw new StatesError("States.IntrinsicFailure", `Unknown intrinsic function ${node.name}`);
      const literals: (readonly LiteralPart[] | undefined)[] = node.args.map((a) =>
        a.kind === "string" ? a.parts : undefined,
      );
      const args = node.args.map((a) => evaluateNode(a, from, randomness));
      return fn({ name: node.name, args, literals, randomness });
    }
  }
}
