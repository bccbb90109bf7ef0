/**
 * The DynamoDB API actions the engine serves, by name (the part after `DynamoDB_20120810.`), and
 * the IAM checks each needs. https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */
import { AwsError } from "../../model/errors.ts";
import { LIMITS } from "../../model/limits.ts";
import { batchGetItem, batchWriteItem } from "./batch.ts";
import type { Engine } from "./engine.ts";
import { tableArn } from "./engine.ts";
import { asObject, type Input, optList, optObject, optString, reqString, tableNameOf } from "./input.ts";
import { deleteItem, getItem, putItem, updateItem } from "./item-operations.ts";
import { query, scan } from "./query-scan.ts";
import type { DynamoDbCallContext } from "./service-types.ts";
import { createTable, deleteTable, describeTableAction, listTables, updateTable } from "./table-admin.ts";
import { listTagsOfResource, tagResource, untagResource } from "./table-tags.ts";
import { describeTimeToLive, updateTimeToLive } from "./time-to-live.ts";
import { transactGetItems, transactWriteItems } from "./transactions.ts";

type Action = (engine: Engine, input: Input, context: DynamoDbCallContext) => unknown;

export const ACTIONS: Readonly<Record<string, Action>> = {
  CreateTable: createTable,
  DescribeTable: describeTableAction,
  ListTables: listTables,
  DeleteTable: deleteTable,
  UpdateTable: updateTable,
  UpdateTimeToLive: updateTimeToLive,
  DescribeTimeToLive: describeTimeToLive,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
  PutItem: putItem,
  GetItem: getItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  TransactWriteItems: transactWriteItems,
  TransactGetItems: transactGetItems,
  DescribeEndpoints: (engine, _input, context) => ({
    Endpoints: [{ Address: endpointAddress(engine, context), CachePeriodInMinutes: 1440 }],
  }),
  DescribeLimits: () => ({
    AccountMaxReadCapacityUnits: LIMITS.dynamodb.accountCapacityUnits.default,
    AccountMaxWriteCapacityUnits: LIMITS.dynamodb.accountCapacityUnits.default,
    TableMaxReadCapacityUnits: LIMITS.dynamodb.tableCapacityUnits.default,
    TableMaxWriteCapacityUnits: LIMITS.dynamodb.tableCapacityUnits.default,
  }),
};

/**
 * DescribeEndpoints' Address is the host (no scheme) a client should send its calls to: here the
 * endpoint's own host, from the URL the call came to. A call made off the wire (tests, in-process)
 * has no URL; it gets a name in the same shape as AWS's that no client should need to resolve.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeEndpoints.html
 */
function endpointAddress(engine: Engine, context: DynamoDbCallContext): string {
  if (context.endpointUrl !== undefined && URL.canParse(context.endpointUrl))
    return new URL(context.endpointUrl).host;
  return `dynamodb.${engine.region}.local`;
}

export function unknownAction(action: string): AwsError {
  return new AwsError(
    "UnknownOperationException",
    `Sluice's DynamoDB does not serve ${action}; it serves ${Object.keys(ACTIONS).join(", ")}.`,
    400,
  );
}

export interface Check {
  readonly action: string;
  readonly resource: string;
}

/** The IAM checks of one request (see DynamoDbServiceApi.resourcesOf). */
export function checksOf(engine: Engine, action: string, input: Input): Check[] {
  if (!Object.hasOwn(ACTIONS, action)) throw unknownAction(action);
  const iam = `dynamodb:${action}`;
  const table = (name: string) => tableArn(engine, name);
  // A TableName given as another region's or account's ARN is checked as given, so the endpoint
  // answers ResourceNotFoundException rather than serving this cloud's table of that name.
  const named = input.TableName;
  if (typeof named === "string" && named.startsWith("arn:") && named !== table(tableNameOf(input)))
    return [{ action: iam, resource: named }];
  switch (action) {
    case "ListTables":
    case "DescribeEndpoints":
    case "DescribeLimits":
      return [{ action: iam, resource: "*" }];
    case "TagResource":
    case "UntagResource":
    case "ListTagsOfResource":
      return [{ action: iam, resource: reqString(input, "ResourceArn") }];
    case "Query":
    case "Scan": {
      const indexName = optString(input, "IndexName");
      const arn = table(tableNameOf(input));
      return [{ action: iam, resource: indexName === undefined ? arn : `${arn}/index/${indexName}` }];
    }
    case "BatchGetItem":
    case "BatchWriteItem":
      return Object.keys(optObject(input, "RequestItems") ?? {}).map((name) => ({
        action: iam,
        resource: table(name),
      }));
    case "TransactGetItems":
      return unique(
        (optList(input, "TransactItems") ?? []).map((raw) => {
          const get = optObject(asObject(raw, "TransactGetItem"), "Get") ?? {};
          return { action: "dynamodb:GetItem", resource: table(tableNameOf(get)) };
        }),
      );
    case "TransactWriteItems":
      return unique(
        (optList(input, "TransactItems") ?? []).flatMap((raw) => {
          const entry = asObject(raw, "TransactWriteItem");
          return (["Put", "Update", "Delete", "ConditionCheck"] as const).flatMap((kind) => {
            const request = optObject(entry, kind);
            if (request === undefined) return [];
            const name = kind === "ConditionCheck" ? "ConditionCheckItem" : `${kind}Item`;
            return [{ action: `dynamodb:${name}`, resource: table(tableNameOf(request)) }];
          });
        }),
      );
    default:
      return [{ action: iam, resource: table(tableNameOf(input)) }];
  }
}

function unique(checks: Check[]): Check[] {
  const seen = new Set<string>();
  return checks.filter((check) => {
    const id = `${check.action} ${check.resource}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
