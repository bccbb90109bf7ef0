/**
 * DynamoDB's JSON 1.0 wire handler: dispatch by X-Amz-Target, an IAM check per table and index
 * the call names before it runs, and errors with DynamoDB's `__type` and extra members.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { describe, test } from "node:test";
import {
  DYNAMODB_TARGET_PREFIX,
  type DynamoDbCall,
  handleDynamoDbJson,
} from "../../src/local/dynamodb/index.ts";
import { dynamoDbRig, type Json, N, S, tableInput } from "../support/dynamodb-rig.ts";

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: Record<string, Json>;
}

async function send(
  rig: ReturnType<typeof dynamoDbRig>,
  action: string,
  input: unknown,
  authorized: string[] = [],
  endpointUrl = "http://127.0.0.1:4566",
): Promise<Answer> {
  const answer: Answer = { status: 0, headers: {}, body: {} };
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      answer.status = status;
      answer.headers = headers;
      return this;
    },
    end(text: string) {
      answer.body = JSON.parse(text) as Record<string, Json>;
    },
  } as unknown as ServerResponse;
  const call = {
    cloud: { dynamodb: rig.service },
    endpointUrl,
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

describe("handleDynamoDbJson", () => {
  test("DescribeEndpoints answers the host the call came to", async () => {
    const rig = dynamoDbRig();
    const answer = await send(rig, "DescribeEndpoints", {}, [], "http://localhost:4599");
    assert.deepEqual(answer.body, { Endpoints: [{ Address: "localhost:4599", CachePeriodInMinutes: 1440 }] });
  });

  test("answers AWS JSON 1.0 and authorizes the table, or the index, first", async () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("wired", "N"));
    const authorized: string[] = [];
    const put = await send(
      rig,
      "PutItem",
      { TableName: "wired", Item: { pk: S("a"), sk: N(1) } },
      authorized,
    );
    assert.equal(put.status, 200);
    assert.equal(put.headers["content-type"], "application/x-amz-json-1.0");
    assert.deepEqual(put.body, {});
    await send(
      rig,
      "Query",
      {
        TableName: "wired",
        IndexName: "idx",
        KeyConditionExpression: "pk = :p",
        ExpressionAttributeValues: { ":p": S("a") },
      },
      authorized,
    );
    await send(
      rig,
      "TransactWriteItems",
      {
        TransactItems: [
          { Put: { TableName: "wired", Item: { pk: S("b"), sk: N(1) } } },
          {
            ConditionCheck: {
              TableName: "wired",
              Key: { pk: S("a"), sk: N(1) },
              ConditionExpression: "attribute_exists(pk)",
            },
          },
        ],
      },
      authorized,
    );
    const arn = "arn:aws:dynamodb:us-east-1:123456789012:table/wired";
    assert.deepEqual(authorized, [
      `dynamodb:PutItem ${arn}`,
      `dynamodb:Query ${arn}/index/idx`,
      `dynamodb:PutItem ${arn}`,
      `dynamodb:ConditionCheckItem ${arn}`,
    ]);
  });

  test("answers errors with DynamoDB's __type and the failed item", async () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("wired"));
    rig.call("PutItem", { TableName: "wired", Item: { pk: S("a") } });
    const missing = await send(rig, "GetItem", { TableName: "nope", Key: { pk: S("a") } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.__type, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
    const invalid = await send(rig, "GetItem", { TableName: "wired", Key: {} });
    assert.equal(invalid.body.__type, "com.amazon.coral.validate#ValidationException");
    const failed = await send(rig, "PutItem", {
      TableName: "wired",
      Item: { pk: S("a") },
      ConditionExpression: "attribute_not_exists(pk)",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    assert.deepEqual(failed.body, {
      __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
      message: "The conditional request failed",
      Item: { pk: S("a") },
    });
    const unknown = await send(rig, "Frobnicate", {});
    assert.equal(unknown.body.__type, "com.amazon.coral.service#UnknownOperationException");
  });
});
