import { LIMITS } from "../../../model/limits.ts";
import { type OperandNode, operandNodes, type PathNode, type UpdateClauseNode } from "./ast.ts";
import {
  type AttributeValue,
  binaryKey,
  copyItem,
  copyValue,
  decimalOf,
  type Item,
  numberKey,
  typeOf,
} from "./attribute-value.ts";
import { CONDITION_FUNCTION_NAMES } from "./condition.ts";
import { addDecimal, checkStorable, formatDecimal, subtractDecimal } from "./decimal.ts";
import {
  checkDistinctPaths,
  checkReservedWords,
  type DocumentPath,
  resolvePath,
  valueAt,
} from "./document-path.ts";
import { DynamoDbValidationError, invalidExpression } from "./errors.ts";
import { parseUpdateTree } from "./parse.ts";
import type { Placeholders } from "./placeholders.ts";

/**
 * Update expressions: SET (with `+`, `-`, if_not_exists, list_append), REMOVE, ADD, DELETE.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
export interface CompiledUpdate {
  readonly expression: string;
  /** Every path the expression writes, in order (for key checks and stream images). */
  readonly paths: readonly DocumentPath[];
  /** The item after the update; the input is not modified. A missing item is `{}`. */
  apply(item: Item): Item;
}

type UpdateValue =
  | { readonly type: "path"; readonly path: DocumentPath }
  | { readonly type: "value"; readonly value: AttributeValue }
  | { readonly type: "if_not_exists"; readonly path: DocumentPath; readonly fallback: UpdateValue }
  | { readonly type: "list_append"; readonly first: UpdateValue; readonly second: UpdateValue }
  | { readonly type: "+" | "-"; readonly left: UpdateValue; readonly right: UpdateValue };

type Action =
  | { readonly clause: "SET"; readonly path: DocumentPath; readonly value: UpdateValue }
  | { readonly clause: "REMOVE"; readonly path: DocumentPath }
  | { readonly clause: "ADD" | "DELETE"; readonly path: DocumentPath; readonly value: AttributeValue };

const UPDATE_FUNCTIONS = { if_not_exists: 2, list_append: 2 } as const;

/** The names of AWS's update operand types, as its ADD/DELETE messages spell them. */
const OPERAND_TYPE_NAMES: Partial<Record<string, string>> = {
  S: "STRING",
  N: "NUMBER",
  B: "BINARY",
  NULL: "NULL",
  BOOL: "BOOLEAN",
  L: "LIST",
  M: "MAP",
};

const KIND = "UpdateExpression";

function fail(detail: string): never {
  throw invalidExpression(KIND, detail);
}

class UpdateCompiler {
  operators = 0;

  constructor(private readonly placeholders: Placeholders) {}

  path(node: PathNode): DocumentPath {
    return resolvePath(KIND, node, this.placeholders);
  }

  value(node: OperandNode): UpdateValue {
    switch (node.type) {
      case "path":
        return { type: "path", path: this.path(node) };
      case "value":
        return { type: "value", value: this.placeholders.value(KIND, node.name) };
      case "arithmetic": {
        this.operators += 1;
        const left = this.value(node.left);
        const right = this.value(node.right);
        for (const side of [left, right]) {
          if (side.type === "value" && !("N" in side.value)) {
            fail(
              `Incorrect operand type for operator or function; operator or function: ${node.op}, operand type: ${typeOf(side.value)}`,
            );
          }
        }
        return { type: node.op, left, right };
      }
      case "function": {
        this.operators += 1;
        if (!Object.hasOwn(UPDATE_FUNCTIONS, node.name)) {
          if (CONDITION_FUNCTION_NAMES.includes(node.name)) {
            fail(`The function is not allowed in a update expression; function: ${node.name}`);
          }
          fail(`Invalid function name; function: ${node.name}`);
        }
        if (node.args.length !== 2) {
          fail(
            `Incorrect number of operands for operator or function; operator or function: ${node.name}, number of operands: ${node.args.length}`,
          );
        }
        const [first, second] = node.args.map((arg) => this.value(arg)) as [UpdateValue, UpdateValue];
        if (node.name === "if_not_exists") {
          if (first.type !== "path") {
            fail(`Operator or function requires a document path; operator or function: ${node.name}`);
          }
          return { type: "if_not_exists", path: first.path, fallback: second };
        }
        for (const side of [first, second]) {
          if (side.type === "value" && !("L" in side.value)) {
            fail(
              `Incorrect operand type for operator or function; operator or function: list_append, operand type: ${typeOf(side.value)}`,
            );
          }
        }
        return { type: "list_append", first, second };
      }
    }
  }

  setOrDeleteValue(clause: "ADD" | "DELETE", name: string): AttributeValue {
    const value = this.placeholders.value(KIND, name);
    const type = typeOf(value);
    const allowed = clause === "ADD" ? ["N", "SS", "NS", "BS"] : ["SS", "NS", "BS"];
    if (!allowed.includes(type)) {
      fail(
        `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${OPERAND_TYPE_NAMES[type] ?? type}`,
      );
    }
    return value;
  }
}

function invalidPath(): never {
  throw new DynamoDbValidationError(
    "The document path provided in the update expression is invalid for update",
  );
}

function wrongType(): never {
  throw new DynamoDbValidationError("An operand in the update expression has an incorrect data type");
}

function evaluate(value: UpdateValue, item: Item): AttributeValue {
  switch (value.type) {
    case "value":
      return value.value;
    case "path": {
      const found = valueAt(item, value.path);
      if (found === undefined) {
        throw new DynamoDbValidationError(
          "The provided expression refers to an attribute that does not exist in the item",
        );
      }
      return found;
    }
    case "if_not_exists":
      return valueAt(item, value.path) ?? evaluate(value.fallback, item);
    case "list_append": {
      const first = evaluate(value.first, item);
      const second = evaluate(value.second, item);
      if (!("L" in first) || !("L" in second)) wrongType();
      return { L: [...first.L, ...second.L] };
    }
    case "+":
    case "-": {
      const left = evaluate(value.left, item);
      const right = evaluate(value.right, item);
      if (!("N" in left) || !("N" in right)) wrongType();
      const combine = value.type === "+" ? addDecimal : subtractDecimal;
      const result = combine(decimalOf(left.N), decimalOf(right.N));
      checkStorable(result);
      return { N: formatDecimal(result) };
    }
  }
}

type Mutable = { [name: string]: AttributeValue };

/**
 * The container a path's last step lives in, as a list or a map, and that step. A missing or
 * mistyped container is an invalid path for SET and for REMOVE alike (DynamoDB Local answers
 * `REMOVE missing[0]` so). A one-step path lives in the item itself.
 */
function containerOf(
  root: Mutable,
  path: DocumentPath,
):
  | { readonly list: AttributeValue[]; readonly index: number }
  | { readonly map: Mutable; readonly name: string } {
  const last = path.at(-1) as string | number;
  if (path.length === 1) return { map: root, name: last as string };
  const parent = valueAt(root, path.slice(0, -1));
  if (parent === undefined) invalidPath();
  if (typeof last === "number") {
    if (!("L" in parent)) invalidPath();
    return { list: parent.L as AttributeValue[], index: last };
  }
  if (!("M" in parent)) invalidPath();
  return { map: parent.M as Mutable, name: last };
}

function setAt(root: Mutable, path: DocumentPath, value: AttributeValue): void {
  const at = containerOf(root, path);
  if ("map" in at) {
    at.map[at.name] = value;
    return;
  }
  // An index past the end appends, as AWS documents for SET on list elements.
  if (at.index >= at.list.length) at.list.push(value);
  else at.list[at.index] = value;
}

function removeAt(root: Mutable, path: DocumentPath): void {
  const at = containerOf(root, path);
  if ("map" in at) delete at.map[at.name];
  else if (at.index < at.list.length) at.list.splice(at.index, 1);
}

function setMembers(
  value: AttributeValue,
): [type: "SS" | "NS" | "BS", members: readonly string[]] | undefined {
  if ("SS" in value) return ["SS", value.SS];
  if ("NS" in value) return ["NS", value.NS];
  if ("BS" in value) return ["BS", value.BS];
  return undefined;
}

function setOf(type: "SS" | "NS" | "BS", members: readonly string[]): AttributeValue {
  return type === "SS" ? { SS: members } : type === "NS" ? { NS: members } : { BS: members };
}

function memberKey(type: "SS" | "NS" | "BS"): (member: string) => string {
  return type === "NS" ? numberKey : type === "BS" ? binaryKey : (member) => member;
}

function addTo(current: AttributeValue | undefined, operand: AttributeValue): AttributeValue {
  if ("N" in operand) {
    if (current === undefined) return { N: formatDecimal(decimalOf(operand.N)) };
    if (!("N" in current)) wrongType();
    const sum = addDecimal(decimalOf(current.N), decimalOf(operand.N));
    checkStorable(sum);
    return { N: formatDecimal(sum) };
  }
  const [type, members] = setMembers(operand) ?? wrongType();
  if (current === undefined) return copyValue(operand);
  const existing = setMembers(current);
  if (existing === undefined || existing[0] !== type) wrongType();
  const key = memberKey(type);
  const seen = new Set(existing[1].map(key));
  const union = [
    ...existing[1],
    ...members.filter((member) => !seen.has(key(member)) && seen.add(key(member))),
  ];
  return setOf(type, union);
}

function deleteFrom(current: AttributeValue, operand: AttributeValue): AttributeValue | undefined {
  const [type, members] = setMembers(operand) ?? wrongType();
  const existing = setMembers(current);
  if (existing === undefined || existing[0] !== type) wrongType();
  const key = memberKey(type);
  const removed = new Set(members.map(key));
  const left = existing[1].filter((member) => !removed.has(key(member)));
  // A set cannot be empty: deleting its last members removes the attribute.
  return left.length === 0 ? undefined : setOf(type, left);
}

function applyActions(actions: readonly Action[], item: Item): Item {
  const before = item;
  const root: Mutable = copyItem(item);
  // Every SET value is computed from the item as it was before the update.
  const sets = actions.flatMap((action) =>
    action.clause === "SET" ? [{ path: action.path, value: copyValue(evaluate(action.value, before)) }] : [],
  );
  for (const { path, value } of sets) setAt(root, path, value);
  // List elements are removed from the highest index down, so each index names the element the
  // expression meant (indexes refer to the list before the update).
  const removals = actions
    .filter((action) => action.clause === "REMOVE")
    .sort((a, b) => {
      const x = a.path.at(-1);
      const y = b.path.at(-1);
      return typeof x === "number" && typeof y === "number" ? y - x : 0;
    });
  for (const { path } of removals) removeAt(root, path);
  for (const action of actions) {
    if (action.clause === "ADD") {
      setAt(root, action.path, addTo(valueAt(root, action.path), action.value));
    } else if (action.clause === "DELETE") {
      const current = valueAt(root, action.path);
      if (current === undefined) continue;
      const left = deleteFrom(current, action.value);
      if (left === undefined) removeAt(root, action.path);
      else setAt(root, action.path, left);
    }
  }
  return root;
}

/**
 * Parses and checks an UpdateExpression: each clause at most once, no overlapping or conflicting
 * paths, no key attribute updated, operand types where a placeholder shows them, at most 300
 * operators. `keyAttributes` are the table's key attribute names.
 */
export function compileUpdate(
  expression: string,
  placeholders: Placeholders,
  keyAttributes: readonly string[] = [],
): CompiledUpdate {
  const clauses: UpdateClauseNode[] = parseUpdateTree(expression);
  // AWS's order: reserved words, then unknown functions, then repeated clauses, then the rest.
  const operands = clauses.flatMap((clause) =>
    clause.actions.flatMap((action) => [
      action.path,
      ...("value" in action ? operandNodes(action.value) : []),
    ]),
  );
  checkReservedWords(KIND, operands);
  for (const node of operands) {
    if (
      node.type === "function" &&
      !Object.hasOwn(UPDATE_FUNCTIONS, node.name) &&
      !CONDITION_FUNCTION_NAMES.includes(node.name)
    ) {
      fail(`Invalid function name; function: ${node.name}`);
    }
  }
  const compiler = new UpdateCompiler(placeholders);
  const seen = new Set<string>();
  const actions: Action[] = [];
  for (const clause of clauses) {
    if (seen.has(clause.clause))
      fail(`The "${clause.clause}" section can only be used once in an update expression;`);
    seen.add(clause.clause);
    for (const action of clause.actions) {
      const path = compiler.path(action.path);
      if (clause.clause === "SET") {
        const set = action as { path: PathNode; value: OperandNode };
        actions.push({ clause: "SET", path, value: compiler.value(set.value) });
      } else if (clause.clause === "REMOVE") {
        actions.push({ clause: "REMOVE", path });
      } else {
        const named = action as { path: PathNode; value: { name: string } };
        actions.push({
          clause: clause.clause,
          path,
          value: compiler.setOrDeleteValue(clause.clause, named.value.name),
        });
      }
    }
  }
  const maxOperators = LIMITS.dynamodbExpressions.operators.max;
  if (compiler.operators > maxOperators) {
    fail(`The expression contains too many operators; operator count: ${compiler.operators}`);
  }
  const paths = actions.map((action) => action.path);
  checkDistinctPaths(KIND, paths);
  for (const path of paths) {
    const head = path[0] as string;
    if (keyAttributes.includes(head)) {
      throw new DynamoDbValidationError(
        `One or more parameter values were invalid: Cannot update attribute ${head}. This attribute is part of the key`,
      );
    }
  }
  return { expression, paths, apply: (item) => applyActions(actions, item) };
}
