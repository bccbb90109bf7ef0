/**
 * A DynamoDB engine for unit tests: the service over a temporary SQLite file, a ManualClock and
 * a StreamSink that records every change, plus helpers that run an action and expect its error.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { DynamoDbService, type ItemChange, type StreamSink } from "../../src/local/dynamodb/index.ts";
import { openStore } from "../../src/local/store/index.ts";
import { AwsError } from "../../src/model/errors.ts";
import { tempDir } from "./temp.ts";

/** A JSON answer, walked freely by assertions (its shape is what the assertion checks). */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk answers of every shape
export type Json = any;

export interface DynamoDbRig {
  readonly service: DynamoDbService;
  readonly clock: ManualClock;
  readonly changes: ItemChange[];
  /** Runs an action; returns its output as plain JSON (what the wire would carry). */
  call(action: string, input: Record<string, unknown>): Record<string, Json>;
  /** Runs an action that must fail; returns the error (code, message and fields checked by the caller). */
  fails(action: string, input: Record<string, unknown>, code: string, message?: string | RegExp): AwsError;
  /** A fresh service over the same file (a restart). */
  reopen(): DynamoDbService;
  /**
   * Runs an item write as the wire does, answered before its commit: `commit` is what the wire
   * runs once the answer is out (nothing for a write that is not answered first).
   */
  answerFirst(
    action: string,
    input: Record<string, unknown>,
  ): { output: Record<string, Json>; commit(): void };
  /** The SQLite file. */
  readonly file: string;
}

export function dynamoDbRig(): DynamoDbRig {
  const temp = tempDir("sluice-ddb-");
  const file = join(temp.dir, "state.sqlite");
  const db = openStore(file);
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const changes: ItemChange[] = [];
  const sink: StreamSink = {
    record: (change) => changes.push(JSON.parse(JSON.stringify(change)) as ItemChange),
  };
  const options = { db, clock, region: "us-east-1", accountId: "123456789012", streams: sink };
  const service = new DynamoDbService(options);
  after(() => {
    db.close();
    temp.cleanup();
  });
  const call = (action: string, input: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(service.execute(action, wireInput(input)) ?? {})) as Record<string, Json>;
  return {
    service,
    clock,
    changes,
    call,
    fails(action, input, code, message) {
      let caught: unknown;
      try {
        call(action, input);
      } catch (error) {
        caught = error;
      }
      assert.ok(caught instanceof AwsError, `${action} should fail with ${code}; got ${String(caught)}`);
      assert.equal(caught.code, code, caught.message);
      if (typeof message === "string") assert.equal(caught.message, message);
      else if (message !== undefined) assert.match(caught.message, message);
      return caught;
    },
    reopen: () => new DynamoDbService(options),
    answerFirst(action, input) {
      let work = () => {};
      const output = service.execute(action, wireInput(input), {
        afterAnswer: (held) => {
          work = held;
        },
      });
      return {
        output: JSON.parse(JSON.stringify(output ?? {})) as Record<string, Json>,
        commit: () => work(),
      };
    },
    file,
  };
}

/** The input as the wire codec hands it over: JSON with null-prototype objects. */
function wireInput(input: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(input), (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.assign(Object.create(null) as object, value)
      : value,
  ) as Record<string, unknown>;
}

export const S = (value: string) => ({ S: value });
export const N = (value: number | string) => ({ N: String(value) });

/** CreateTable input for a table keyed by pk (S) and, when given, sk of `sortType`. */
export function tableInput(
  name: string,
  sortType?: "S" | "N" | "B",
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const keySchema = [{ AttributeName: "pk", KeyType: "HASH" }];
  const definitions = [{ AttributeName: "pk", AttributeType: "S" }];
  if (sortType !== undefined) {
    keySchema.push({ AttributeName: "sk", KeyType: "RANGE" });
    definitions.push({ AttributeName: "sk", AttributeType: sortType });
  }
  return {
    TableName: name,
    KeySchema: keySchema,
    AttributeDefinitions: definitions,
    BillingMode: "PAY_PER_REQUEST",
    ...extra,
  };
}

/** CreateTable input for a table keyed by pk (S) and sk (N) with a global index `byPlayer` on player (S). */
export function playerIndexTable(name: string): Record<string, unknown> {
  return tableInput(name, "N", {
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "N" },
      { AttributeName: "player", AttributeType: "S" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: "byPlayer",
        KeySchema: [{ AttributeName: "player", KeyType: "HASH" }],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  });
}
