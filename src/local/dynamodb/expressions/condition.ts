import { LIMITS } from "../../../model/limits.ts";
import {
  type ConditionNode,
  conditionNodes,
  conditionOperands,
  type FunctionNode,
  type OperandNode,
  operandNodes,
} from "./ast.ts";
import {
  ATTRIBUTE_TYPES,
  type AttributeValue,
  binaryKey,
  bytesOf,
  compareScalars,
  describeValue,
  equalValues,
  type Item,
  numberKey,
  typeOf,
} from "./attribute-value.ts";
import { checkReservedWords, type DocumentPath, pathText, resolvePath, valueAt } from "./document-path.ts";
import { type ExpressionKind, invalidExpression } from "./errors.ts";
import { parseConditionTree } from "./parse.ts";
import type { Placeholders } from "./placeholders.ts";

/**
 * Condition and filter expressions: comparators, BETWEEN, IN, AND/OR/NOT and the six functions of
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */
export interface CompiledCondition {
  /** The expression as written. */
  readonly expression: string;
  /** True when the item satisfies the condition (a missing item is the empty item `{}`). */
  evaluate(item: Item): boolean;
  /** The tree with placeholders resolved, for key conditions and tools. */
  readonly tree: ResolvedCondition;
}

export type ResolvedOperand =
  | { readonly type: "path"; readonly path: DocumentPath }
  | { readonly type: "value"; readonly value: AttributeValue }
  | { readonly type: "size"; readonly operand: ResolvedOperand };

export type ResolvedCondition =
  | { readonly type: "or" | "and"; readonly left: ResolvedCondition; readonly right: ResolvedCondition }
  | { readonly type: "not"; readonly condition: ResolvedCondition }
  | {
      readonly type: "compare";
      readonly op: "=" | "<>" | "<" | "<=" | ">" | ">=";
      readonly left: ResolvedOperand;
      readonly right: ResolvedOperand;
    }
  | {
      readonly type: "between";
      readonly subject: ResolvedOperand;
      readonly low: ResolvedOperand;
      readonly high: ResolvedOperand;
    }
  | { readonly type: "in"; readonly subject: ResolvedOperand; readonly list: readonly ResolvedOperand[] }
  | {
      readonly type: "function";
      readonly name: ConditionFunction;
      readonly args: readonly ResolvedOperand[];
    };

/** Functions that are conditions, by their number of operands. */
const CONDITION_FUNCTIONS = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
} as const;
type ConditionFunction = keyof typeof CONDITION_FUNCTIONS;

/** Every function a condition knows; `size` is the one that is an operand rather than a condition. */
export const CONDITION_FUNCTION_NAMES: readonly string[] = [...Object.keys(CONDITION_FUNCTIONS), "size"];

function isConditionFunction(name: string): name is ConditionFunction {
  return Object.hasOwn(CONDITION_FUNCTIONS, name);
}

class ConditionCompiler {
  constructor(
    private readonly kind: ExpressionKind,
    private readonly placeholders: Placeholders,
  ) {}

  private fail(detail: string): never {
    throw invalidExpression(this.kind, detail);
  }

  condition(node: ConditionNode): ResolvedCondition {
    switch (node.type) {
      case "or":
      case "and":
        return { type: node.type, left: this.condition(node.left), right: this.condition(node.right) };
      case "not":
        return { type: "not", condition: this.condition(node.condition) };
      case "compare": {
        const left = this.operand(node.left);
        const right = this.operand(node.right);
        if (left.type === "path" && right.type === "path" && pathText(left.path) === pathText(right.path)) {
          this.fail(
            `The first operand must be distinct from the remaining operands for this operator or function; operator: ${node.op}, first operand: ${pathText(left.path)}`,
          );
        }
        return { type: "compare", op: node.op, left, right };
      }
      case "between": {
        const subject = this.operand(node.subject);
        const low = this.operand(node.low);
        const high = this.operand(node.high);
        if (low.type === "value" && high.type === "value") {
          const bounds = `lower bound operand: AttributeValue: ${describeValue(low.value)}, upper bound operand: AttributeValue: ${describeValue(high.value)}`;
          if (typeOf(low.value) !== typeOf(high.value)) {
            this.fail(`The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
          }
          if ((compareScalars(low.value, high.value) ?? 0) > 0) {
            this.fail(
              `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
            );
          }
        }
        return { type: "between", subject, low, high };
      }
      case "in": {
        const max = LIMITS.dynamodbExpressions.inOperands.max;
        if (node.list.length > max) {
          this.fail(
            `The IN operator is provided with too many operands; number of operands: ${node.list.length}`,
          );
        }
        return {
          type: "in",
          subject: this.operand(node.subject),
          list: node.list.map((item) => this.operand(item)),
        };
      }
      case "call":
        return this.call(node.call);
    }
  }

  private call(node: FunctionNode): ResolvedCondition {
    if (node.name === "size") {
      this.fail(`The function is not allowed to be used this way in an expression; function: ${node.name}`);
    }
    if (!isConditionFunction(node.name)) this.fail(`Invalid function name; function: ${node.name}`);
    const name = node.name;
    const args = node.args.map((arg) => this.operand(arg));
    if (args.length !== CONDITION_FUNCTIONS[name]) {
      this.fail(
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
      );
    }
    const [first, second] = args;
    if (first?.type !== "path") {
      this.fail(`Operator or function requires a document path; operator or function: ${name}`);
    }
    if (name === "attribute_type") {
      const type = second?.type === "value" ? second.value : undefined;
      if (type === undefined || !("S" in type)) {
        const found = type === undefined ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : typeOf(type);
        this.fail(
          `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${found}`,
        );
      }
      if (!(ATTRIBUTE_TYPES as readonly string[]).includes(type.S)) {
        this.fail(
          `Invalid attribute type name found; type: ${type.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
        );
      }
    }
    if (name === "begins_with" && second?.type === "value") {
      const type = typeOf(second.value);
      if (type !== "S" && type !== "B") {
        this.fail(
          `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
        );
      }
    }
    return { type: "function", name, args };
  }

  operand(node: OperandNode): ResolvedOperand {
    switch (node.type) {
      case "path":
        return { type: "path", path: resolvePath(this.kind, node, this.placeholders) };
      case "value":
        return { type: "value", value: this.placeholders.value(this.kind, node.name) };
      case "arithmetic":
        // The condition grammar never builds one; kept total for the type checker.
        return this.fail(`Syntax error; token: "${node.op}", near: "${node.op}"`);
      case "function": {
        if (node.name !== "size") {
          if (isConditionFunction(node.name)) {
            this.fail(
              `The function is not allowed to be used this way in an expression; function: ${node.name}`,
            );
          }
          this.fail(`Invalid function name; function: ${node.name}`);
        }
        if (node.args.length !== 1) {
          this.fail(
            `Incorrect number of operands for operator or function; operator or function: size, number of operands: ${node.args.length}`,
          );
        }
        const operand = this.operand(node.args[0] as OperandNode);
        if (operand.type === "value") {
          const type = typeOf(operand.value);
          if (type === "N" || type === "BOOL" || type === "NULL") {
            this.fail(
              `Incorrect operand type for operator or function; operator or function: size, operand type: ${type}`,
            );
          }
        }
        return { type: "size", operand };
      }
    }
  }
}

/** The value of an operand for one item; undefined when a path is missing. */
export function operandValue(operand: ResolvedOperand, item: Item): AttributeValue | undefined {
  switch (operand.type) {
    case "path":
      return valueAt(item, operand.path);
    case "value":
      return operand.value;
    case "size": {
      const value = operandValue(operand.operand, item);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
  }
}

/**
 * size(): a string's length (counted in UTF-8 bytes, as DynamoDB measures strings), a binary's
 * bytes, the members of a set, list or map; no size for numbers, booleans and nulls.
 */
function sizeOf(value: AttributeValue): number | undefined {
  if ("S" in value) return Buffer.byteLength(value.S, "utf8");
  if ("B" in value) return bytesOf(value.B).length;
  if ("SS" in value) return value.SS.length;
  if ("NS" in value) return value.NS.length;
  if ("BS" in value) return value.BS.length;
  if ("L" in value) return value.L.length;
  if ("M" in value) return Object.keys(value.M).length;
  return undefined;
}

function compare(op: string, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  // A missing attribute equals nothing, so `<>` holds and every order comparison fails.
  if (left === undefined || right === undefined) return op === "<>";
  if (op === "=") return equalValues(left, right);
  if (op === "<>") return !equalValues(left, right);
  const order = compareScalars(left, right);
  if (order === undefined) return false;
  if (op === "<") return order < 0;
  if (op === "<=") return order <= 0;
  if (op === ">") return order > 0;
  return order >= 0;
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if ("S" in value && "S" in prefix) return value.S.startsWith(prefix.S);
  if ("B" in value && "B" in prefix) {
    const bytes = bytesOf(value.B);
    const start = bytesOf(prefix.B);
    return bytes.length >= start.length && bytes.subarray(0, start.length).equals(start);
  }
  return false;
}

function contains(value: AttributeValue | undefined, operand: AttributeValue | undefined): boolean {
  if (value === undefined || operand === undefined) return false;
  if ("S" in value) return "S" in operand && value.S.includes(operand.S);
  // A binary contains a subsequence, as the legacy CONTAINS operator documents.
  if ("B" in value) return "B" in operand && bytesOf(value.B).includes(bytesOf(operand.B));
  if ("SS" in value) return "S" in operand && value.SS.includes(operand.S);
  if ("NS" in value)
    return "N" in operand && value.NS.some((member) => numberKey(member) === numberKey(operand.N));
  if ("BS" in value)
    return "B" in operand && value.BS.some((member) => binaryKey(member) === binaryKey(operand.B));
  if ("L" in value) return value.L.some((element) => equalValues(element, operand));
  return false;
}

export function evaluateCondition(condition: ResolvedCondition, item: Item): boolean {
  switch (condition.type) {
    case "or":
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case "and":
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case "not":
      return !evaluateCondition(condition.condition, item);
    case "compare":
      return compare(condition.op, operandValue(condition.left, item), operandValue(condition.right, item));
    case "between": {
      const subject = operandValue(condition.subject, item);
      const low = operandValue(condition.low, item);
      const high = operandValue(condition.high, item);
      if (subject === undefined || low === undefined || high === undefined) return false;
      const above = compareScalars(subject, low);
      const below = compareScalars(subject, high);
      return above !== undefined && below !== undefined && above >= 0 && below <= 0;
    }
    case "in": {
      const subject = operandValue(condition.subject, item);
      if (subject === undefined) return false;
      return condition.list.some((candidate) => {
        const value = operandValue(candidate, item);
        return value !== undefined && equalValues(subject, value);
      });
    }
    case "function": {
      const [first, second] = condition.args;
      const value = operandValue(first as ResolvedOperand, item);
      const operand = second === undefined ? undefined : operandValue(second, item);
      switch (condition.name) {
        case "attribute_exists":
          return value !== undefined;
        case "attribute_not_exists":
          return value === undefined;
        case "attribute_type":
          return (
            value !== undefined && operand !== undefined && "S" in operand && typeOf(value) === operand.S
          );
        case "begins_with":
          return beginsWith(value, operand);
        case "contains":
          return contains(value, operand);
      }
    }
  }
}

/** The condition trees checkShape has passed. */
const shapeChecked = new WeakSet<ConditionNode>();

/**
 * The checks AWS makes before it looks at placeholders, in its order: redundant parentheses,
 * unknown functions, functions used in the wrong place, reserved words.
 */
function checkShape(kind: ExpressionKind, tree: ConditionNode): void {
  // Parsed trees are cached and frozen (parse.ts): one that passed needs no second look, and
  // whether a tree passes does not depend on `kind`, which only words the refusal.
  if (shapeChecked.has(tree)) return;
  const operands = conditionOperands(tree).flatMap(operandNodes);
  const conditions = conditionNodes(tree);
  if ([...conditions, ...operands].some((node) => (node.parens ?? 0) > 1)) {
    throw invalidExpression(kind, "The expression has redundant parentheses;");
  }
  for (const node of operands) {
    if (node.type === "function" && !CONDITION_FUNCTION_NAMES.includes(node.name)) {
      throw invalidExpression(kind, `Invalid function name; function: ${node.name}`);
    }
  }
  const calls = new Set(conditions.flatMap((node) => (node.type === "call" ? [node.call] : [])));
  for (const node of operands) {
    if (node.type !== "function") continue;
    const misused = calls.has(node) ? node.name === "size" : node.name !== "size";
    if (misused) {
      throw invalidExpression(
        kind,
        `The function is not allowed to be used this way in an expression; function: ${node.name}`,
      );
    }
  }
  checkReservedWords(kind, operands);
  shapeChecked.add(tree);
}

/** Resolves an already-parsed condition tree (used by key conditions too). */
export function resolveCondition(
  kind: ExpressionKind,
  tree: ConditionNode,
  placeholders: Placeholders,
): ResolvedCondition {
  checkShape(kind, tree);
  return new ConditionCompiler(kind, placeholders).condition(tree);
}

/**
 * Parses and checks a ConditionExpression or FilterExpression against the request's placeholders,
 * refusing it with AWS's ValidationException messages; the result evaluates items.
 */
export function compileCondition(
  expression: string,
  placeholders: Placeholders,
  kind: "ConditionExpression" | "FilterExpression" = "ConditionExpression",
): CompiledCondition {
  const tree = resolveCondition(kind, parseConditionTree(kind, expression), placeholders);
  return { expression, tree, evaluate: (item) => evaluateCondition(tree, item) };
}
