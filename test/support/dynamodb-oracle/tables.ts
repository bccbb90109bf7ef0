/**
 * The tables the suite's item calls use, and CreateTable/DescribeTable/DeleteTable calls valid
 * and invalid around them. AWS's rules: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 * and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 */
import type { OracleCall } from "./calls.ts";

export const HASH_TABLE = "oracle-hash";
export const RANGE_TABLE = "oracle-range";
export const BINARY_TABLE = "oracle_binary.1";
/** Indexes of RANGE_TABLE: a global one on (g, sk), a global INCLUDE one on g, a local one on (pk, l). */
export const GSI = "byG";
export const GSI_INCLUDE = "byGInclude";
export const LSI = "byL";

const S = (name: string) => ({ AttributeName: name, AttributeType: "S" });
const N = (name: string) => ({ AttributeName: name, AttributeType: "N" });
const HASH = (name: string) => ({ AttributeName: name, KeyType: "HASH" });
const RANGE = (name: string) => ({ AttributeName: name, KeyType: "RANGE" });
const ONDEMAND = { BillingMode: "PAY_PER_REQUEST" };

const call = (
  action: OracleCall["action"],
  input: Record<string, unknown>,
  note: string,
  expect?: string,
): OracleCall => (expect === undefined ? { action, input, note } : { action, input, note, expect });
const invalid = (input: Record<string, unknown>, note: string) =>
  call("CreateTable", input, note, "ValidationException");

/** Creates the three tables the item calls use, and reads them back. */
export function setupCalls(): OracleCall[] {
  return [
    call(
      "CreateTable",
      { TableName: HASH_TABLE, AttributeDefinitions: [S("pk")], KeySchema: [HASH("pk")], ...ONDEMAND },
      "hash-only table",
      "ok",
    ),
    call(
      "CreateTable",
      {
        TableName: RANGE_TABLE,
        AttributeDefinitions: [S("pk"), N("sk"), S("g"), S("l")],
        KeySchema: [HASH("pk"), RANGE("sk")],
        GlobalSecondaryIndexes: [
          { IndexName: GSI, KeySchema: [HASH("g"), RANGE("sk")], Projection: { ProjectionType: "ALL" } },
          {
            IndexName: GSI_INCLUDE,
            KeySchema: [HASH("g")],
            Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["s"] },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: LSI,
            KeySchema: [HASH("pk"), RANGE("l")],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
        ...ONDEMAND,
      },
      "table with sort key, two global indexes, a local index and a stream",
      "ok",
    ),
    call(
      "CreateTable",
      {
        TableName: BINARY_TABLE,
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "B" }],
        KeySchema: [HASH("id")],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      },
      "binary key, provisioned (BillingMode omitted), dot and underscore in the name",
      "ok",
    ),
    call("DescribeTable", { TableName: RANGE_TABLE }, "describe the indexed table", "ok"),
    call("DescribeTable", { TableName: BINARY_TABLE }, "describe the provisioned table", "ok"),
    call("ListTables", {}, "list the tables", "ok"),
    call("ListTables", { Limit: 1 }, "list one table", "ok"),
    call("ListTables", { ExclusiveStartTableName: HASH_TABLE }, "list after a name", "ok"),
  ];
}

/** CreateTable variants AWS refuses, each for one reason; and the table life cycle. */
export function tableLifecycleCalls(): OracleCall[] {
  const base = {
    TableName: "oracle-tmp",
    AttributeDefinitions: [S("pk")],
    KeySchema: [HASH("pk")],
    ...ONDEMAND,
  };
  return [
    invalid({ ...base, AttributeDefinitions: [S("other")] }, "key attribute not defined"),
    invalid({ ...base, AttributeDefinitions: [S("pk"), S("unused")] }, "attribute defined but unused"),
    invalid(
      { ...base, AttributeDefinitions: [S("pk"), S("x")], KeySchema: [HASH("pk"), HASH("x")] },
      "two HASH keys",
    ),
    invalid({ ...base, KeySchema: [RANGE("pk")] }, "RANGE key alone"),
    invalid(
      { ...base, AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "BOOL" }] },
      "BOOL key type",
    ),
    invalid({ ...base, TableName: "ab" }, "table name too short"),
    invalid({ ...base, TableName: "bad name!" }, "table name with a space and !"),
    invalid({ ...base, TableName: "x".repeat(256) }, "table name of 256 characters"),
    invalid({ ...base, BillingMode: "PROVISIONED" }, "provisioned without throughput"),
    // AWS refuses this (KNOWN_DIFFERENCES); DynamoDB Local creates the table.
    call(
      "CreateTable",
      {
        ...base,
        TableName: "oracle-ondemand-throughput",
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      },
      "on-demand with throughput",
    ),
    invalid(
      {
        ...base,
        BillingMode: undefined,
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 },
      },
      "zero read capacity",
    ),
    invalid(
      {
        ...base,
        AttributeDefinitions: [S("pk"), S("l")],
        LocalSecondaryIndexes: [
          { IndexName: "idx", KeySchema: [HASH("pk"), RANGE("l")], Projection: { ProjectionType: "ALL" } },
        ],
      },
      "local index on a table without a sort key",
    ),
    invalid(
      {
        ...base,
        AttributeDefinitions: [S("pk"), S("sk"), S("h")],
        KeySchema: [HASH("pk"), RANGE("sk")],
        LocalSecondaryIndexes: [
          { IndexName: "idx", KeySchema: [HASH("h"), RANGE("sk")], Projection: { ProjectionType: "ALL" } },
        ],
      },
      "local index with another partition key",
    ),
    invalid(
      {
        ...base,
        AttributeDefinitions: [S("pk"), S("g")],
        GlobalSecondaryIndexes: [
          { IndexName: "same", KeySchema: [HASH("g")], Projection: { ProjectionType: "ALL" } },
          { IndexName: "same", KeySchema: [HASH("g")], Projection: { ProjectionType: "KEYS_ONLY" } },
        ],
      },
      "two global indexes with one name",
    ),
    invalid(
      {
        ...base,
        AttributeDefinitions: [S("pk"), S("g")],
        GlobalSecondaryIndexes: [
          {
            IndexName: "idx",
            KeySchema: [HASH("g")],
            Projection: { ProjectionType: "KEYS_ONLY", NonKeyAttributes: ["a"] },
          },
        ],
      },
      "KEYS_ONLY projection with NonKeyAttributes",
    ),
    invalid(
      {
        ...base,
        AttributeDefinitions: [S("pk"), S("g")],
        GlobalSecondaryIndexes: [
          { IndexName: "idx", KeySchema: [HASH("g")], Projection: { ProjectionType: "INCLUDE" } },
        ],
      },
      "INCLUDE projection without NonKeyAttributes",
    ),
    invalid(
      {
        ...base,
        AttributeDefinitions: [S("pk"), S("sk"), ...[1, 2, 3, 4, 5, 6].map((i) => S(`lsi${i}`))],
        KeySchema: [HASH("pk"), RANGE("sk")],
        LocalSecondaryIndexes: [1, 2, 3, 4, 5, 6].map((i) => ({
          IndexName: `lsi${i}`,
          KeySchema: [HASH("pk"), RANGE(`lsi${i}`)],
          Projection: { ProjectionType: "KEYS_ONLY" },
        })),
      },
      "six local indexes (five allowed)",
    ),
    invalid({ ...base, StreamSpecification: { StreamEnabled: true } }, "stream enabled without a view type"),
    // AWS refuses a view type outside its enum (KNOWN_DIFFERENCES); DynamoDB Local creates the table.
    call(
      "CreateTable",
      {
        ...base,
        TableName: "oracle-view-all",
        StreamSpecification: { StreamEnabled: true, StreamViewType: "ALL" },
      },
      "unknown stream view type",
    ),
    call("CreateTable", { ...base, TableName: HASH_TABLE }, "a table that exists", "ResourceInUseException"),
    call(
      "CreateTable",
      { ...base, StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" } },
      "a temporary table with a KEYS_ONLY stream",
      "ok",
    ),
    call("DescribeTable", { TableName: "oracle-tmp" }, "describe it", "ok"),
    call(
      "UpdateTimeToLive",
      { TableName: "oracle-tmp", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } },
      "turn TTL on",
      "ok",
    ),
    call("DescribeTimeToLive", { TableName: "oracle-tmp" }, "read TTL back", "ok"),
    call(
      "UpdateTimeToLive",
      { TableName: "oracle-tmp", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } },
      "turn TTL on twice",
      "ValidationException",
    ),
    call(
      "UpdateTable",
      { TableName: "oracle-tmp", StreamSpecification: { StreamEnabled: false } },
      "turn the stream off",
      "ok",
    ),
    call("DeleteTable", { TableName: "oracle-tmp" }, "delete it", "ok"),
    call(
      "DescribeTable",
      { TableName: "oracle-tmp" },
      "describe a deleted table",
      "ResourceNotFoundException",
    ),
    call(
      "DeleteTable",
      { TableName: "oracle-missing" },
      "delete a table that never existed",
      "ResourceNotFoundException",
    ),
    call(
      "DescribeTable",
      { TableName: "oracle-missing" },
      "describe a table that never existed",
      "ResourceNotFoundException",
    ),
    call(
      "PutItem",
      { TableName: "oracle-missing", Item: { pk: { S: "a" } } },
      "write to a missing table",
      "ResourceNotFoundException",
    ),
  ];
}
