import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { dataAtStake, tableHoldsItems } from "../../src/aws/deploy/data-at-stake.ts";
import { atStakeLines } from "../../src/cli/aws-options.ts";

/** Clients that answer from tables of counts, recording what was asked (no network). */
function clients(items: Record<string, number>) {
  const asked: string[] = [];
  const dynamodb = {
    send: async (command: { input: { TableName?: string } }) => {
      const name = command.input.TableName ?? "";
      asked.push(name);
      if (!(name in items))
        throw Object.assign(new Error("Requested resource not found"), { name: "ResourceNotFoundException" });
      return { Table: { TableName: name, ItemCount: items[name] } };
    },
  } as unknown as DynamoDBClient;
  const sqs = { send: async () => ({ Attributes: {} }) } as unknown as SQSClient;
  return { asked, clients: { sqs, dynamodb } };
}

describe("deploy's data at stake for DynamoDB tables", () => {
  test("counts a replaced or removed table's items with DescribeTable, by its physical name", async () => {
    const { asked, clients: c } = clients({ "arcade-games": 1234 });
    const atStake = await dataAtStake(c, [
      {
        logicalId: "GamesTable",
        type: "AWS::DynamoDB::Table",
        physicalId: "arcade-games",
        dataLoss: "every item in the table",
      },
    ]);
    assert.deepEqual(asked, ["arcade-games"]);
    assert.deepEqual(atStake, [
      {
        logicalId: "GamesTable",
        type: "AWS::DynamoDB::Table",
        physicalId: "arcade-games",
        what: "every item in the table",
        items: 1234,
      },
    ]);
    assert.deepEqual(atStakeLines(atStake), [
      "  GamesTable AWS::DynamoDB::Table (arcade-games) — loses every item in the table: about 1234 item(s) (DynamoDB's ItemCount, refreshed about every six hours)",
    ]);
  });

  test("a table that cannot be described is still reported, without a count", async () => {
    const { clients: c } = clients({});
    const atStake = await dataAtStake(c, [
      {
        logicalId: "GoneTable",
        type: "AWS::DynamoDB::Table",
        physicalId: "arcade-gone",
        dataLoss: "every item in the table",
      },
    ]);
    assert.equal(atStake.length, 1);
    assert.equal(atStake[0]?.items, undefined);
  });

  test("a switchover asks a one-item Scan whether a table holds items, which ItemCount may not know yet", async () => {
    const inputs: unknown[] = [];
    const answering = (page: Record<string, unknown>) =>
      ({
        send: async (command: { input: unknown }) => {
          inputs.push(command.input);
          return page;
        },
      }) as unknown as DynamoDBClient;
    assert.equal(await tableHoldsItems(answering({ Count: 1 }), "arcade-games"), true);
    assert.equal(
      await tableHoldsItems(answering({ Count: 0, LastEvaluatedKey: { pk: { S: "a" } } }), "t"),
      true,
    );
    assert.equal(await tableHoldsItems(answering({ Count: 0 }), "t"), false);
    assert.deepEqual(inputs[0], { TableName: "arcade-games", Limit: 1, Select: "COUNT" });
  });
});
