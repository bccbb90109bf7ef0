/** The tree grammar.peggy builds for one PartiQL statement (DynamoDB's subset). */

/** One step of a document path: an attribute or map key by name, or a list element by index. */
export type PathStep =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "index"; readonly index: number };
export type Path = readonly PathStep[];

/** A literal, a `?` parameter, or a collection of values (PartiQL's data types). */
export type PartiqlValueNode =
  | { readonly kind: "parameter"; readonly offset: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "missing"; readonly offset: number }
  | { readonly kind: "bag"; readonly items: readonly PartiqlValueNode[]; readonly offset: number }
  | { readonly kind: "list"; readonly items: readonly PartiqlValueNode[] }
  | { readonly kind: "tuple"; readonly entries: readonly TupleEntry[]; readonly offset: number };

export interface TupleEntry {
  readonly key: { readonly kind: "string" | "name"; readonly value: string; readonly offset: number };
  readonly value: PartiqlValueNode;
}

export type Operand =
  | { readonly type: "value"; readonly value: PartiqlValueNode }
  | { readonly type: "path"; readonly path: Path }
  | PartiqlFunctionNode
  | { readonly type: "arithmetic"; readonly op: "+" | "-"; readonly left: Operand; readonly right: Operand };

export interface PartiqlFunctionNode {
  readonly type: "function";
  readonly name: string;
  readonly args: readonly Operand[];
}

export type PartiqlComparator = "=" | "<>" | "<" | "<=" | ">" | ">=";

export type PartiqlCondition =
  | { readonly type: "or" | "and"; readonly left: PartiqlCondition; readonly right: PartiqlCondition }
  | { readonly type: "not"; readonly condition: PartiqlCondition }
  | {
      readonly type: "compare";
      readonly op: PartiqlComparator;
      readonly left: Operand;
      readonly right: Operand;
    }
  | { readonly type: "between"; readonly subject: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly type: "in"; readonly subject: Operand; readonly list: readonly Operand[] }
  | {
      readonly type: "is";
      readonly subject: Operand;
      readonly negated: boolean;
      readonly what: "MISSING" | "NULL";
    }
  | { readonly type: "call"; readonly call: PartiqlFunctionNode };

export interface Returning {
  readonly which: "ALL" | "MODIFIED";
  readonly image: "OLD" | "NEW";
}

export interface SelectStatement {
  readonly type: "select";
  readonly projection: "*" | readonly Path[];
  readonly table: string;
  readonly index?: string;
  readonly where?: PartiqlCondition;
  readonly orderBy: readonly { readonly path: Path; readonly descending: boolean }[];
}

export interface InsertStatement {
  readonly type: "insert";
  readonly table: string;
  readonly item: PartiqlValueNode;
  readonly returning?: Returning;
}

export type UpdateAction =
  | { readonly kind: "set"; readonly path: Path; readonly value: Operand }
  | { readonly kind: "remove"; readonly path: Path };

export interface UpdateStatement {
  readonly type: "update";
  readonly table: string;
  readonly clauses: readonly UpdateAction[];
  readonly where: PartiqlCondition;
  readonly returning?: Returning;
}

export interface DeleteStatement {
  readonly type: "delete";
  readonly table: string;
  readonly where: PartiqlCondition;
  readonly returning?: Returning;
}

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement;
