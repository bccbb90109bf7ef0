/**
 * BatchExecuteStatement: up to 25 statements, all reads (each a single-item SELECT) or all writes,
 * each run on its own with its own answer or Error {Code, Message}
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.multiplestatements.batching.html).
 * Request-level refusals and per-statement messages are DynamoDB's (checked against DynamoDB Local 3.3.1).
 */
import { AwsError } from "../../../model/errors.ts";
import { LIMITS } from "../../../model/limits.ts";
import { constraint } from "../errors.ts";
import { DynamoDbValidationError } from "../expressions/index.ts";
import { asObject, type Input, optList, optString, reqString } from "../input.ts";
import type { DynamoDbServiceApi } from "../service-types.ts";
import { batchErrorCode } from "./errors.ts";
import { plan, runRead, runWrite } from "./execute-statement.ts";
import type { Plan } from "./plan.ts";

const STATEMENTS = LIMITS.dynamodb.partiqlBatchStatements;

type Prepared = { readonly plan: Plan; readonly entry: Input } | { readonly error: AwsError };

function errorEntry(error: unknown, table?: string) {
  if (!(error instanceof AwsError)) throw error;
  return {
    Error: { Code: batchErrorCode(error), Message: error.message },
    ...(table === undefined ? {} : { TableName: table }),
  };
}

/** The identity of the item a plan reads or writes, for the request's duplicate check. */
function itemId(found: Plan): string | undefined {
  const key = (found.kind === "write" ? found.key : found.input.Key) as unknown;
  if (key !== undefined) return `${found.table} ${JSON.stringify(key)}`;
  return undefined;
}

export function batchExecuteStatement(service: DynamoDbServiceApi, input: Input): unknown {
  const statements = optList(input, "Statements") ?? [];
  if (statements.length < STATEMENTS.min) throw new DynamoDbValidationError("The statement was empty.");
  if (statements.length > STATEMENTS.max) {
    throw constraint(
      "statements",
      "[...]",
      `Member must have length less than or equal to ${STATEMENTS.max}`,
    );
  }
  const prepared: Prepared[] = statements.map((raw) => {
    const entry = asObject(raw, "BatchStatementRequest");
    const statement = reqString(entry, "Statement");
    try {
      return { plan: plan(service, statement, optList(entry, "Parameters")), entry };
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      if (error.message.startsWith("Statement wasn't well formed")) {
        return {
          error: new DynamoDbValidationError(
            "Invalid operation. Only select, insert, update and delete operations are valid",
          ),
        };
      }
      return { error };
    }
  });
  const plans = prepared.flatMap((item) => ("plan" in item ? [item.plan] : []));
  if (new Set(plans.map((found) => found.kind)).size > 1) {
    throw new DynamoDbValidationError("Read and write requests together in the same batch is not supported.");
  }
  const ids = plans.map(itemId).filter((id) => id !== undefined);
  if (new Set(ids).size !== ids.length) {
    throw new DynamoDbValidationError("Provided list of item keys contains duplicates");
  }
  const Responses = prepared.map((item) => {
    if ("error" in item) return errorEntry(item.error);
    const found = item.plan;
    if (found.kind === "read" && found.action !== "GetItem") {
      return errorEntry(new DynamoDbValidationError("Only single item select is supported"));
    }
    try {
      if (found.kind === "read") {
        const consistent = item.entry.ConsistentRead === true ? { ConsistentRead: true } : {};
        const { output, items } = runRead(service, found, consistent);
        return { TableName: found.table, ...(output.Item === undefined ? {} : { Item: items[0] }) };
      }
      const onFailure = optString(item.entry, "ReturnValuesOnConditionCheckFailure");
      const output = runWrite(
        service,
        found,
        onFailure === undefined ? {} : { ReturnValuesOnConditionCheckFailure: onFailure },
      );
      return {
        TableName: found.table,
        ...(output.Attributes === undefined ? {} : { Item: output.Attributes }),
      };
    } catch (error) {
      const missing = error instanceof AwsError && error.code === "ResourceNotFoundException";
      return errorEntry(error, missing ? undefined : found.table);
    }
  });
  return { Responses };
}
