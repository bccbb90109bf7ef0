/**
 * The trees grammar.peggy builds. Names and values are still placeholders here; they are resolved
 * and checked by the compile step of each expression kind.
 */
export type PathElement =
  | { readonly type: "name"; readonly name: string }
  | { readonly type: "alias"; readonly name: string }
  | { readonly type: "index"; readonly index: number; readonly text: string };

/** How many pairs of parentheses directly enclose a node; AWS refuses two or more. */
interface Enclosed {
  readonly parens?: number;
}

export interface PathNode extends Enclosed {
  readonly type: "path";
  readonly elements: readonly PathElement[];
}

export interface ValueNode extends Enclosed {
  readonly type: "value";
  readonly name: string;
}

export interface FunctionNode extends Enclosed {
  readonly type: "function";
  readonly name: string;
  readonly args: readonly OperandNode[];
  readonly offset: number;
}

export interface ArithmeticNode extends Enclosed {
  readonly type: "arithmetic";
  readonly op: "+" | "-";
  readonly left: OperandNode;
  readonly right: OperandNode;
}

export type OperandNode = PathNode | ValueNode | FunctionNode | ArithmeticNode;

export type Comparator = "=" | "<>" | "<" | "<=" | ">" | ">=";

export type ConditionNode = Enclosed &
  (
    | { readonly type: "or" | "and"; readonly left: ConditionNode; readonly right: ConditionNode }
    | { readonly type: "not"; readonly condition: ConditionNode }
    | {
        readonly type: "compare";
        readonly op: Comparator;
        readonly left: OperandNode;
        readonly right: OperandNode;
      }
    | {
        readonly type: "between";
        readonly subject: OperandNode;
        readonly low: OperandNode;
        readonly high: OperandNode;
      }
    | { readonly type: "in"; readonly subject: OperandNode; readonly list: readonly OperandNode[] }
    | { readonly type: "call"; readonly call: FunctionNode }
  );

export type UpdateClauseNode =
  | { readonly clause: "SET"; readonly actions: readonly { path: PathNode; value: OperandNode }[] }
  | { readonly clause: "REMOVE"; readonly actions: readonly { path: PathNode }[] }
  | { readonly clause: "ADD" | "DELETE"; readonly actions: readonly { path: PathNode; value: ValueNode }[] };

/** The operands of a condition, in the order they are written. */
export function conditionOperands(node: ConditionNode): OperandNode[] {
  switch (node.type) {
    case "or":
    case "and":
      return [...conditionOperands(node.left), ...conditionOperands(node.right)];
    case "not":
      return conditionOperands(node.condition);
    case "compare":
      return [node.left, node.right];
    case "between":
      return [node.subject, node.low, node.high];
    case "in":
      return [node.subject, ...node.list];
    case "call":
      return [node.call];
  }
}

/** A condition's sub-conditions, itself first. */
export function conditionNodes(node: ConditionNode): ConditionNode[] {
  switch (node.type) {
    case "or":
    case "and":
      return [node, ...conditionNodes(node.left), ...conditionNodes(node.right)];
    case "not":
      return [node, ...conditionNodes(node.condition)];
    default:
      return [node];
  }
}

/** An operand and every operand inside it, itself first. */
export function operandNodes(node: OperandNode): OperandNode[] {
  switch (node.type) {
    case "function":
      return [node, ...node.args.flatMap(operandNodes)];
    case "arithmetic":
      return [node, ...operandNodes(node.left), ...operandNodes(node.right)];
    default:
      return [node];
  }
}
