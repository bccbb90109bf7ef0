// DynamoDB's PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction), translated
// into the engine's own actions: what the wire handler routes here and the IAM checks it makes.

import type { Input } from "../input.ts";
import type { DynamoDbServiceApi } from "../service-types.ts";
import { batchExecuteStatement } from "./batch-execute-statement.ts";
import { executeStatement } from "./execute-statement.ts";
import { executeTransaction } from "./execute-transaction.ts";

export { type PartiqlCheck, partiqlResourcesOf } from "./iam.ts";
export { parseStatement } from "./parse.ts";

const PARTIQL_ACTIONS = {
  ExecuteStatement: executeStatement,
  BatchExecuteStatement: batchExecuteStatement,
  ExecuteTransaction: executeTransaction,
} as const;

/** Whether an action (the part after `DynamoDB_20120810.`) is one of the PartiQL APIs. */
export function isPartiqlAction(action: string): action is keyof typeof PARTIQL_ACTIONS {
  return Object.hasOwn(PARTIQL_ACTIONS, action);
}

/** Runs a PartiQL API action on the service and returns its JSON output, or throws DynamoDB's error. */
export function executePartiql(service: DynamoDbServiceApi, action: string, input: Input): unknown {
  if (!isPartiqlAction(action)) throw new TypeError(`not a PartiQL action: ${action}`);
  return PARTIQL_ACTIONS[action](service, input);
}
