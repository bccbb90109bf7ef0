/**
 * The differential suite: hundreds of DynamoDB calls, hand-picked and generated from a seed,
 * valid and invalid, made with `@aws-sdk/client-dynamodb` against AWS's own DynamoDB Local (the
 * oracle) and against Sluice's DynamoDB engine; every answer and every error (code, message,
 * cancellation reasons, returned item) must match, volatile fields aside (normalize.ts), except
 * for the listed known differences (known-differences.ts, mirrored in docs/fidelity.md). Sluice is
 * reached as a user's script reaches it, on the endpoint of `sluice dev`; the streamed table's
 * records are then read back from both through the DynamoDB Streams API and compared item by item.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { type OracleCall, type Outcome, runCall } from "../support/dynamodb-oracle/calls.ts";
import { compare, describeDifference, runAll } from "../support/dynamodb-oracle/compare.ts";
import { generateCalls } from "../support/dynamodb-oracle/generator.ts";
import { handPickedCalls } from "../support/dynamodb-oracle/hand-picked.ts";
import { normalNumberSets, typedEmptyMaps } from "../support/dynamodb-oracle/known-differences.ts";
import { recordsByItem } from "../support/dynamodb-oracle/streams.ts";
import { RANGE_TABLE, setupCalls, tableLifecycleCalls } from "../support/dynamodb-oracle/tables.ts";
import {
  dynaliteTarget,
  dynamoDbLocalTarget,
  type OracleTarget,
  sluiceEndpointTarget,
} from "../support/dynamodb-oracle/targets.ts";

const SEED = 15;
const GENERATED = 400;
/** How many differences a failure shows in full. */
const SHOWN = 15;

const CALLS: readonly OracleCall[] = [
  ...setupCalls(),
  ...tableLifecycleCalls(),
  ...handPickedCalls(),
  ...generateCalls(SEED, GENERATED),
];

describe("Sluice's DynamoDB against AWS's DynamoDB Local", () => {
  let oracle: OracleTarget;
  let sluice: OracleTarget;
  let oracleOutcomes: Outcome[];
  let sluiceOutcomes: Outcome[];

  before(async () => {
    [oracle, sluice] = await Promise.all([dynamoDbLocalTarget(), sluiceEndpointTarget()]);
    // Each side runs the calls in order on its own state; the two sides run at once.
    [oracleOutcomes, sluiceOutcomes] = await Promise.all([runAll(oracle, CALLS), runAll(sluice, CALLS)]);
  });
  after(async () => {
    await oracle?.close();
    await sluice?.close();
  });

  test("the suite's beliefs about DynamoDB hold on DynamoDB Local", () => {
    assert.ok(CALLS.length >= 500, `${CALLS.length} calls`);
    const wrong = CALLS.flatMap((call, i) => {
      const outcome = oracleOutcomes[i] as Outcome;
      const got = "error" in outcome ? outcome.error.name : "ok";
      if (call.expect === undefined || call.expect === got) return [];
      const detail = "error" in outcome ? outcome.error.message : "";
      return [
        `#${i} ${call.action} (${call.note}): expected ${call.expect}, DynamoDB Local answered ${got} ${detail}`,
      ];
    });
    assert.deepEqual(wrong, []);
  });

  test("the generated calls reach every action, and both successes and failures", () => {
    const seen = new Set<string>();
    for (const [i, call] of CALLS.entries()) {
      const outcome = oracleOutcomes[i] as Outcome;
      seen.add(`${call.action} ${"error" in outcome ? "error" : "ok"}`);
    }
    for (const action of ["PutItem", "UpdateItem", "DeleteItem", "QueryAll", "TransactWriteItems"]) {
      assert.ok(
        seen.has(`${action} ok`) && seen.has(`${action} error`),
        `${action}: ${[...seen].join(", ")}`,
      );
    }
    for (const action of [
      "GetItem",
      "ScanAll",
      "BatchWriteItem",
      "BatchGetItem",
      "TransactGetItems",
      "CreateTable",
    ]) {
      assert.ok(seen.has(`${action} ok`), `${action} never succeeded`);
    }
  });

  test("Sluice answers every call as DynamoDB Local does, known differences aside", async () => {
    // dynalite, with the suite's tables, answers the calls whose errors the two word differently.
    const witness = await dynaliteTarget();
    try {
      await runAll(witness, setupCalls());
      const { unexplained, explained } = await compare(CALLS, oracleOutcomes, sluiceOutcomes, (call) =>
        runCall(witness.client, call),
      );
      const shown = unexplained.slice(0, SHOWN).map(describeDifference).join("\n\n");
      assert.equal(
        unexplained.length,
        0,
        `${unexplained.length} of ${CALLS.length} calls differ:\n\n${shown}`,
      );
      const unused = [...explained].filter(([, count]) => count === 0).map(([known]) => known.id);
      assert.deepEqual(
        unused,
        [],
        "known differences no call shows any more: remove them (and their docs/fidelity.md rows)",
      );
    } finally {
      await witness.close();
    }
  });

  test("the streamed table's records, read through the Streams API, match item by item", async () => {
    const [expected, actual] = await Promise.all([
      recordsByItem(oracle.streams as DynamoDBStreamsClient, RANGE_TABLE),
      recordsByItem(sluice.streams as DynamoDBStreamsClient, RANGE_TABLE),
    ]);
    assert.ok(
      Object.keys(expected).length >= 10,
      `${Object.keys(expected).length} items in DynamoDB Local's stream`,
    );
    const items = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    // Number sets as the `number-set-normal-form` known difference says; empty maps typed as the
    // `stream-untyped-empty-map` one says (docs/fidelity.md).
    const records = (all: Record<string, unknown[]>, item: string) =>
      JSON.stringify(normalNumberSets(typedEmptyMaps(all[item])));
    const differing = items.filter((item) => records(expected, item) !== records(actual, item));
    const shown = differing
      .slice(0, 5)
      .map(
        (item) =>
          `${item}\n  DynamoDB Local: ${JSON.stringify(expected[item])}\n  Sluice:         ${JSON.stringify(actual[item])}`,
      )
      .join("\n");
    assert.equal(
      differing.length,
      0,
      `${differing.length} of ${items.length} items' records differ:\n${shown}`,
    );
  });
});
