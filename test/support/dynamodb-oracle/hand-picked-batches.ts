/**
 * Hand-picked BatchWriteItem, BatchGetItem, TransactWriteItems and TransactGetItems calls: their
 * limits (25 writes, 100 keys, 100 actions), duplicate keys, missing tables, cancellation reasons,
 * and idempotency by ClientRequestToken. Rules from
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html and
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import type { OracleCall } from "./calls.ts";
import { HASH_TABLE } from "./tables.ts";

const VALIDATION = "ValidationException";
const c = (
  action: OracleCall["action"],
  input: Record<string, unknown>,
  note: string,
  expect: string,
): OracleCall => ({
  action,
  input,
  note,
  expect,
});

export function batchAndTransactionCalls(): OracleCall[] {
  return [
    // Batches.
    c(
      "BatchWriteItem",
      {
        RequestItems: {
          [HASH_TABLE]: Array.from({ length: 26 }, (_, i) => ({
            PutRequest: { Item: { pk: { S: `bw${i}` } } },
          })),
        },
      },
      "26 writes in one batch",
      VALIDATION,
    ),
    c(
      "BatchWriteItem",
      {
        RequestItems: {
          [HASH_TABLE]: [
            { PutRequest: { Item: { pk: { S: "d" } } } },
            { DeleteRequest: { Key: { pk: { S: "d" } } } },
          ],
        },
      },
      "one key twice in a batch write",
      VALIDATION,
    ),
    c("BatchWriteItem", { RequestItems: { [HASH_TABLE]: [] } }, "an empty request list", VALIDATION),
    c(
      "BatchWriteItem",
      { RequestItems: { "oracle-missing": [{ PutRequest: { Item: { pk: { S: "d" } } } }] } },
      "a batch write to a missing table",
      "ResourceNotFoundException",
    ),
    c(
      "BatchWriteItem",
      {
        RequestItems: {
          [HASH_TABLE]: Array.from({ length: 25 }, (_, i) => ({
            PutRequest: { Item: { pk: { S: `bw${i}` }, n: { N: String(i) } } },
          })),
        },
      },
      "25 writes in one batch",
      "ok",
    ),
    c(
      "BatchGetItem",
      { RequestItems: { [HASH_TABLE]: { Keys: [{ pk: { S: "bw1" } }, { pk: { S: "bw1" } }] } } },
      "one key twice in a batch get",
      VALIDATION,
    ),
    c(
      "BatchGetItem",
      {
        RequestItems: {
          [HASH_TABLE]: { Keys: Array.from({ length: 101 }, (_, i) => ({ pk: { S: `k${i}` } })) },
        },
      },
      "101 keys in a batch get",
      VALIDATION,
    ),
    c(
      "BatchGetItem",
      {
        RequestItems: {
          [HASH_TABLE]: {
            Keys: Array.from({ length: 25 }, (_, i) => ({ pk: { S: `bw${i}` } })),
            ProjectionExpression: "n",
          },
        },
      },
      "25 keys, projected",
      "ok",
    ),
    // Transactions.
    c(
      "TransactWriteItems",
      {
        TransactItems: [
          { Put: { TableName: HASH_TABLE, Item: { pk: { S: "t1" } } } },
          { Delete: { TableName: HASH_TABLE, Key: { pk: { S: "t1" } } } },
        ],
      },
      "two actions on one item",
      VALIDATION,
    ),
    c(
      "TransactWriteItems",
      {
        TransactItems: Array.from({ length: 101 }, (_, i) => ({
          Put: { TableName: HASH_TABLE, Item: { pk: { S: `t${i}` } } },
        })),
      },
      "101 actions",
      VALIDATION,
    ),
    c("TransactWriteItems", { TransactItems: [] }, "no actions", VALIDATION),
    c(
      "TransactWriteItems",
      {
        TransactItems: [
          { Put: { TableName: HASH_TABLE, Item: { pk: { S: "t2" }, n: { N: "1" } } } },
          {
            ConditionCheck: {
              TableName: HASH_TABLE,
              Key: { pk: { S: "bw3" } },
              ConditionExpression: "n = :nine",
              ExpressionAttributeValues: { ":nine": { N: "9" } },
              ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            },
          },
          {
            Update: {
              TableName: HASH_TABLE,
              Key: { pk: { S: "bw4" } },
              UpdateExpression: "SET n = n + :one",
              ExpressionAttributeValues: { ":one": { N: "1" } },
            },
          },
        ],
      },
      "a cancelled transaction: one failed condition among three actions",
      "TransactionCanceledException",
    ),
    c(
      "TransactWriteItems",
      {
        TransactItems: [
          { Put: { TableName: HASH_TABLE, Item: { pk: { S: "t2" }, n: { N: "1" } } } },
          {
            Update: {
              TableName: HASH_TABLE,
              Key: { pk: { S: "bw4" } },
              UpdateExpression: "SET n = :s + n",
              ExpressionAttributeValues: { ":s": { S: "x" } },
            },
          },
        ],
      },
      "a transaction whose update has an operand of the wrong type fails as a whole",
      VALIDATION,
    ),
    c(
      "GetItem",
      { TableName: HASH_TABLE, Key: { pk: { S: "t2" } } },
      "a cancelled transaction wrote nothing",
      "ok",
    ),
    c(
      "TransactWriteItems",
      {
        ClientRequestToken: "token-1",
        TransactItems: [{ Put: { TableName: HASH_TABLE, Item: { pk: { S: "t3" } } } }],
      },
      "a transaction with a token",
      "ok",
    ),
    c(
      "TransactWriteItems",
      {
        ClientRequestToken: "token-1",
        TransactItems: [{ Put: { TableName: HASH_TABLE, Item: { pk: { S: "t3" } } } }],
      },
      "the same token and input again",
      "ok",
    ),
    c(
      "TransactWriteItems",
      {
        ClientRequestToken: "token-1",
        TransactItems: [{ Put: { TableName: HASH_TABLE, Item: { pk: { S: "t4" } } } }],
      },
      "the same token, other input",
      "IdempotentParameterMismatchException",
    ),
    c(
      "TransactWriteItems",
      { TransactItems: [{ Put: { TableName: "oracle-missing", Item: { pk: { S: "t5" } } } }] },
      "a transaction on a missing table",
      "ResourceNotFoundException",
    ),
    c(
      "TransactGetItems",
      {
        TransactItems: [
          { Get: { TableName: HASH_TABLE, Key: { pk: { S: "t3" } } } },
          { Get: { TableName: HASH_TABLE, Key: { pk: { S: "nope" } } } },
        ],
      },
      "a transactional read with a missing item",
      "ok",
    ),
    c(
      "TransactGetItems",
      {
        TransactItems: [
          { Get: { TableName: HASH_TABLE, Key: { pk: { S: "t3" } } } },
          { Get: { TableName: HASH_TABLE, Key: { pk: { S: "t3" } } } },
        ],
      },
      "one item read twice in a transaction",
      VALIDATION,
    ),
  ];
}
