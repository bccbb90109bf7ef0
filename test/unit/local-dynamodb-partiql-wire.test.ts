/**
 * DynamoDB's wire handler routes ExecuteStatement, BatchExecuteStatement and ExecuteTransaction
 * to the PartiQL translator, authorizing each statement's PartiQL action first
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html), and answers its
 * errors with DynamoDB's `__type`.
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { describe, test } from "node:test";
import {
  DYNAMODB_TARGET_PREFIX,
  type DynamoDbCall,
  handleDynamoDbJson,
} from "../../src/local/dynamodb/index.ts";
import { dynamoDbRig, type Json, S, tableInput } from "../support/dynamodb-rig.ts";

async function send(
  rig: ReturnType<typeof dynamoDbRig>,
  action: string,
  input: unknown,
  authorized: string[],
) {
  const answer = { status: 0, body: {} as Record<string, Json> };
  const res = {
    writeHead(status: number) {
      answer.status = status;
      return this;
    },
    end(text: string) {
      answer.body = JSON.parse(text) as Record<string, Json>;
    },
  } as unknown as ServerResponse;
  const call = {
    cloud: { dynamodb: rig.service },
    requestId: "req-1",
    authorize: (iamAction: string, resource: string) => authorized.push(`${iamAction} ${resource}`),
    reportBug: () => {},
  } as unknown as DynamoDbCall;
  await handleDynamoDbJson(
    `${DYNAMODB_TARGET_PREFIX}${action}`,
    Buffer.from(JSON.stringify(input)),
    call,
    res,
  );
  return answer;
}

describe("PartiQL on the wire", () => {
  test("ExecuteStatement is authorized as PartiQLInsert/PartiQLSelect and answers DynamoDB's JSON", async () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("wired"));
    const authorized: string[] = [];
    const insert = `INSERT INTO "wired" VALUE {'pk': 'a', 'n': 1}`;
    const put = await send(rig, "ExecuteStatement", { Statement: insert }, authorized);
    assert.deepEqual(put, { status: 200, body: { Items: [] } });
    const got = await send(
      rig,
      "ExecuteStatement",
      { Statement: `SELECT n FROM "wired" WHERE pk = ?`, Parameters: [S("a")] },
      authorized,
    );
    assert.deepEqual(got.body, { Items: [{ n: { N: "1" } }] });
    assert.deepEqual(authorized, [
      "dynamodb:PartiQLInsert arn:aws:dynamodb:us-east-1:123456789012:table/wired",
      "dynamodb:PartiQLSelect arn:aws:dynamodb:us-east-1:123456789012:table/wired",
    ]);
    const again = await send(rig, "ExecuteStatement", { Statement: insert }, []);
    assert.equal(again.status, 400);
    assert.deepEqual(again.body, {
      __type: "com.amazonaws.dynamodb.v20120810#DuplicateItemException",
      message: "Duplicate primary key exists in table",
    });
  });

  test("BatchExecuteStatement and ExecuteTransaction are routed too", async () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("wired"));
    const authorized: string[] = [];
    const batch = await send(
      rig,
      "BatchExecuteStatement",
      { Statements: [{ Statement: `INSERT INTO "wired" VALUE {'pk': 'b'}` }] },
      authorized,
    );
    assert.deepEqual(batch.body, { Responses: [{ TableName: "wired" }] });
    const transaction = await send(
      rig,
      "ExecuteTransaction",
      { TransactStatements: [{ Statement: `DELETE FROM "wired" WHERE pk = 'b'` }] },
      authorized,
    );
    assert.deepEqual(transaction.body, { Responses: [] });
    assert.deepEqual(authorized, [
      "dynamodb:PartiQLInsert arn:aws:dynamodb:us-east-1:123456789012:table/wired",
      "dynamodb:PartiQLDelete arn:aws:dynamodb:us-east-1:123456789012:table/wired",
    ]);
  });
});
