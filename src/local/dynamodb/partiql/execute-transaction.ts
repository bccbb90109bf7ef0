/**
 * ExecuteTransaction: up to 100 statements run all or nothing, as one TransactGetItems (all
 * single-item SELECTs) or one TransactWriteItems (all writes)
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteTransaction.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.multiplestatements.transactions.html).
 * Messages are DynamoDB's (checked against DynamoDB Local 3.3.1).
 */
import { AwsError } from "../../../model/errors.ts";
import { LIMITS } from "../../../model/limits.ts";
import { constraint, DynamoDbError } from "../errors.ts";
import type { Item } from "../expressions/index.ts";
import { DynamoDbValidationError } from "../expressions/index.ts";
import { asObject, type Input, optList, optString, reqString } from "../input.ts";
import type { DynamoDbServiceApi } from "../service-types.ts";
import { DUPLICATE_ITEM_MESSAGE } from "./errors.ts";
import { plan } from "./execute-statement.ts";
import { parseStatement } from "./parse.ts";
import type { Plan, WritePlan } from "./plan.ts";
import { shapeItem } from "./results.ts";

const STATEMENTS = LIMITS.dynamodb.partiqlTransactionStatements;

function invalidAt(index: number, detail: string): DynamoDbValidationError {
  return new DynamoDbValidationError(`Validation failed in TransactStatements[${index}]: ${detail}`);
}

/** A write plan as one TransactWriteItems action. */
function transactWrite(found: WritePlan, entry: Input): Record<string, unknown> {
  const { ReturnValues: _none, ...request } = found.input;
  const onFailure = optString(entry, "ReturnValuesOnConditionCheckFailure");
  const withFailure =
    onFailure === undefined ? request : { ...request, ReturnValuesOnConditionCheckFailure: onFailure };
  const kind = found.action === "PutItem" ? "Put" : found.action === "UpdateItem" ? "Update" : "Delete";
  return { [kind]: withFailure };
}

export function executeTransaction(service: DynamoDbServiceApi, input: Input): unknown {
  const statements = optList(input, "TransactStatements") ?? [];
  if (statements.length < STATEMENTS.min) {
    throw new DynamoDbValidationError("ExecutePartiQLTransaction can not have empty statement.");
  }
  if (statements.length > STATEMENTS.max) {
    throw constraint(
      "transactStatements",
      "[...]",
      `Member must have length less than or equal to ${STATEMENTS.max}`,
    );
  }
  const entries = statements.map((raw) => asObject(raw, "ParameterizedStatement"));
  const plans: Plan[] = entries.map((entry, index) => {
    const statement = reqString(entry, "Statement");
    const tree = parseStatement(statement);
    if (tree.type !== "select" && tree.type !== "insert" && tree.returning !== undefined) {
      throw invalidAt(index, "RETURNING clause is not supported in ExecuteTransaction.");
    }
    return plan(service, statement, optList(entry, "Parameters"));
  });
  const kinds = new Set(plans.map((found) => found.kind));
  if (kinds.size > 1) {
    throw new DynamoDbValidationError(
      "ExecuteTransaction API does not support both read and write operations in the same request.",
    );
  }
  const passed = {
    ...(input.ClientRequestToken === undefined ? {} : { ClientRequestToken: input.ClientRequestToken }),
    ...(input.ReturnConsumedCapacity === undefined
      ? {}
      : { ReturnConsumedCapacity: input.ReturnConsumedCapacity }),
  };
  if (kinds.has("read")) {
    const gets = plans.map((found, index) => {
      if (found.action !== "GetItem") {
        throw invalidAt(
          index,
          "Select statements within ExecuteTransaction must specify the primary key in the where clause.",
        );
      }
      return { Get: found.input };
    });
    const { ClientRequestToken: _token, ...readOptions } = passed;
    const output = service.execute("TransactGetItems", { TransactItems: gets, ...readOptions }) as {
      Responses?: { Item?: Item }[];
      ConsumedCapacity?: unknown;
    };
    const Responses = (output.Responses ?? []).map((response, index) => {
      const found = plans[index];
      if (response.Item === undefined || found?.kind !== "read") return {};
      return { Item: shapeItem(response.Item, found.projection) };
    });
    return {
      Responses,
      ...(output.ConsumedCapacity === undefined ? {} : { ConsumedCapacity: output.ConsumedCapacity }),
    };
  }
  const writes = plans as WritePlan[];
  try {
    const output = service.execute("TransactWriteItems", {
      TransactItems: writes.map((found, index) => transactWrite(found, entries[index] as Input)),
      ...passed,
    }) as { ConsumedCapacity?: unknown };
    return {
      Responses: [],
      ...(output.ConsumedCapacity === undefined ? {} : { ConsumedCapacity: output.ConsumedCapacity }),
    };
  } catch (error) {
    throw insertsAsDuplicates(error, writes);
  }
}

/**
 * An INSERT whose key exists fails its transaction with the reason DynamoDB gives it:
 * `{Code: "ValidationError", Message: "Duplicate primary key exists in table"}`, not a failed condition.
 */
function insertsAsDuplicates(error: unknown, writes: readonly WritePlan[]): unknown {
  if (!(error instanceof DynamoDbError) || error.code !== "TransactionCanceledException") return error;
  const reasons = error.fields.CancellationReasons as readonly Record<string, unknown>[] | undefined;
  if (reasons === undefined || !(error instanceof AwsError)) return error;
  const rewritten = reasons.map((reason, index) =>
    writes[index]?.insert === true && reason.Code === "ConditionalCheckFailed"
      ? { Code: "ValidationError", Message: DUPLICATE_ITEM_MESSAGE }
      : reason,
  );
  return new DynamoDbError(
    "TransactionCanceledException",
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${rewritten.map((reason) => reason.Code).join(", ")}]`,
    { ...error.fields, CancellationReasons: rewritten },
  );
}
