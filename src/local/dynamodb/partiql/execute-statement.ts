/**
 * ExecuteStatement: one PartiQL statement run as the DynamoDB call it translates to
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html).
 */
import { AwsError } from "../../../model/errors.ts";
import { LIMITS } from "../../../model/limits.ts";
import { constraint } from "../errors.ts";
import type { AttributeValue, Item } from "../expressions/index.ts";
import { DynamoDbValidationError } from "../expressions/index.ts";
import { type Input, optBoolean, optInteger, optList, optString, reqString } from "../input.ts";
import { parseItem } from "../item-store.ts";
import type { DynamoDbServiceApi } from "../service-types.ts";
import { Parameters } from "./attribute-values.ts";
import { duplicateItem } from "./errors.ts";
import { parseStatement } from "./parse.ts";
import { type Plan, planStatement, type ReadPlan, type WritePlan } from "./plan.ts";
import { shapeItem } from "./results.ts";

const STATEMENT = LIMITS.dynamodb.partiqlStatementLength;

/** Parses a statement with its parameters and decides its DynamoDB call. */
export function plan(
  service: DynamoDbServiceApi,
  statement: string,
  parameters: readonly unknown[] | undefined,
): Plan {
  if (statement.length > STATEMENT.max) {
    throw constraint(
      "statement",
      statement,
      `Member must have length less than or equal to ${STATEMENT.max}`,
    );
  }
  const tree = parseStatement(statement);
  const params = new Parameters(statement, tree, (parameters ?? []) as readonly AttributeValue[]);
  return planStatement(service, tree, params);
}

/** The request members that pass through to the engine's call unchanged. */
function passThrough(input: Input, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (input[name] !== undefined && input[name] !== null) out[name] = input[name];
  return out;
}

export function runRead(service: DynamoDbServiceApi, read: ReadPlan, extra: Record<string, unknown>) {
  const output = service.execute(read.action, { ...read.input, ...extra }) as {
    Item?: Item;
    Items?: Item[];
    LastEvaluatedKey?: Item;
    ConsumedCapacity?: unknown;
  };
  const items = read.action === "GetItem" ? (output.Item ? [output.Item] : []) : (output.Items ?? []);
  return { output, items: items.map((item) => shapeItem(item, read.projection)) };
}

/** Runs a write; an INSERT whose key exists is DuplicateItemException, as DynamoDB answers. */
export function runWrite(service: DynamoDbServiceApi, write: WritePlan, extra: Record<string, unknown>) {
  try {
    return service.execute(write.action, { ...write.input, ...extra }) as {
      Attributes?: Item;
      ConsumedCapacity?: unknown;
    };
  } catch (error) {
    if (write.insert && error instanceof AwsError && error.code === "ConditionalCheckFailedException")
      throw duplicateItem();
    throw error;
  }
}

function encodeToken(key: Item): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64");
}

function decodeToken(token: string): Item {
  try {
    const key = parseItem(Buffer.from(token, "base64").toString("utf8")) as unknown;
    if (key !== null && typeof key === "object" && !Array.isArray(key)) return key as Item;
  } catch {
    // refused below
  }
  throw new DynamoDbValidationError("Invalid NextToken");
}

export function executeStatement(service: DynamoDbServiceApi, input: Input): unknown {
  const statement = reqString(input, "Statement");
  const limit = optInteger(input, "Limit");
  if (limit !== undefined && limit < 1) {
    throw constraint("limit", limit, "Member must have value greater than or equal to 1");
  }
  const nextToken = optString(input, "NextToken");
  optBoolean(input, "ConsistentRead");
  const found = plan(service, statement, optList(input, "Parameters"));
  if (found.kind === "write") {
    const output = runWrite(
      service,
      found,
      passThrough(input, ["ReturnConsumedCapacity", "ReturnValuesOnConditionCheckFailure"]),
    );
    return {
      Items: output.Attributes === undefined ? [] : [output.Attributes],
      ...(output.ConsumedCapacity === undefined ? {} : { ConsumedCapacity: output.ConsumedCapacity }),
    };
  }
  const paging =
    found.action === "GetItem"
      ? {}
      : {
          ...(limit === undefined ? {} : { Limit: limit }),
          ...(nextToken === undefined ? {} : { ExclusiveStartKey: decodeToken(nextToken) }),
        };
  const { output, items } = runRead(service, found, {
    ...passThrough(input, ["ConsistentRead", "ReturnConsumedCapacity"]),
    ...paging,
  });
  return {
    Items: items,
    ...(output.LastEvaluatedKey === undefined
      ? {}
      : { NextToken: encodeToken(output.LastEvaluatedKey), LastEvaluatedKey: output.LastEvaluatedKey }),
    ...(output.ConsumedCapacity === undefined ? {} : { ConsumedCapacity: output.ConsumedCapacity }),
  };
}
