/**
 * The IAM checks of the PartiQL actions: each statement needs `dynamodb:PartiQLSelect`,
 * `PartiQLInsert`, `PartiQLUpdate` or `PartiQLDelete` on the table it names (a SELECT from an
 * index: on the index), whichever of the three APIs carries it
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html). A statement
 * that does not parse needs no check: running it answers its ValidationException.
 */

import { asObject, type Input, optList, optString } from "../input.ts";
import type { DynamoDbServiceApi } from "../service-types.ts";
import { parseStatement } from "./parse.ts";

export interface PartiqlCheck {
  readonly action: string;
  readonly resource: string;
}

const IAM_ACTION = {
  select: "dynamodb:PartiQLSelect",
  insert: "dynamodb:PartiQLInsert",
  update: "dynamodb:PartiQLUpdate",
  delete: "dynamodb:PartiQLDelete",
} as const;

function statementsOf(action: string, input: Input): readonly Input[] {
  if (action === "ExecuteStatement") return [input];
  const list = optList(input, action === "BatchExecuteStatement" ? "Statements" : "TransactStatements") ?? [];
  return list.map((raw) => asObject(raw, "ParameterizedStatement"));
}

export function partiqlResourcesOf(
  service: DynamoDbServiceApi,
  action: string,
  input: Input,
): readonly PartiqlCheck[] {
  const checks = new Map<string, PartiqlCheck>();
  for (const entry of statementsOf(action, input)) {
    const text = optString(entry, "Statement");
    if (text === undefined) continue;
    let tree: ReturnType<typeof parseStatement>;
    try {
      tree = parseStatement(text);
    } catch {
      continue;
    }
    const index = tree.type === "select" ? tree.index : undefined;
    // The service names the ARN of the table (or index) as it does for its own actions.
    const [named] =
      index === undefined
        ? service.resourcesOf("GetItem", { TableName: tree.table })
        : service.resourcesOf("Query", { TableName: tree.table, IndexName: index });
    if (named === undefined) continue;
    const check = { action: IAM_ACTION[tree.type], resource: named.resource };
    checks.set(`${check.action} ${check.resource}`, check);
  }
  return [...checks.values()];
}
