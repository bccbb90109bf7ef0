import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Case, issuesOf, type Obj, runCases, setPath } from "../support/model-validate.ts";

const T = "tables.games";
const C = "functions.roll.consumes";

/** A valid app with a streamed table and a consumer; each case changes it in one place. */
function withTables(d: Obj): void {
  d.queues = { jobs: {}, failed: {}, ordered: { fifo: true } };
  d.tables = {
    games: {
      partitionKey: { name: "pk", type: "S" },
      sortKey: { name: "sk", type: "N" },
      stream: "NEW_AND_OLD_IMAGES",
    },
  };
  (d.functions as Obj).roll = {
    handler: "src/roll.handler",
    consumes: { table: "games", startingPosition: "LATEST" },
  };
}

/** A case on the tables base: `set` paths are applied after it (undefined deletes). */
function tableCase(rule: string, set: Record<string, unknown>, extra: Partial<Case> = {}): Case {
  const path = extra.path ?? Object.keys(set).at(-1) ?? "";
  return {
    rule,
    change: (d) => {
      withTables(d);
      for (const [at, value] of Object.entries(set)) setPath(d, at, value);
    },
    path,
    value: "value" in extra ? extra.value : set[path],
    ...(extra.mentions === undefined ? {} : { mentions: extra.mentions }),
  };
}

const key = (name: string, type = "S") => ({ name, type });
const gsi = (name: string) => ({ partitionKey: key(name), projection: "keys" });

describe("tables: names, keys and options", () => {
  test("the base definition is valid", () => {
    const d: Obj = { name: "app", functions: { work: { handler: "src/w.handler" } } };
    withTables(d);
    assert.throws(() => issuesOf(d), /expected normaliseApp to reject/);
  });
  runCases([
    tableCase(
      "a table name with a space",
      { "tables.my games": { partitionKey: key("pk") } },
      {
        value: "my games",
        mentions: '"my-games"',
      },
    ),
    tableCase(
      "a physical table name over 255 characters",
      { [`tables.${"g".repeat(252)}`]: { partitionKey: key("pk") } },
      { value: "g".repeat(252), mentions: "255" },
    ),
    tableCase("a missing partition key", { [`${T}.partitionKey`]: undefined }),
    tableCase("a key type that is not S, N or B", { [`${T}.partitionKey.type`]: "string" }),
    tableCase("a lower-case key type", { [`${T}.sortKey.type`]: "n" }, { mentions: 'type: "N"' }),
    tableCase("an empty key attribute name", { [`${T}.partitionKey.name`]: "" }),
    tableCase(
      "a key attribute name over 255 bytes",
      { [`${T}.partitionKey.name`]: "é".repeat(128) },
      {
        mentions: "256 bytes",
      },
    ),
    tableCase("a key without its type", { [`${T}.partitionKey.type`]: undefined }),
    tableCase("a sort key that is the partition key", { [`${T}.sortKey.name`]: "pk" }),
    tableCase("an unknown table option", { [`${T}.streams`]: true }, { mentions: '"stream"' }),
    tableCase("a stream view type AWS does not have", { [`${T}.stream`]: "NEW_AND_OLD" }),
    tableCase(
      "a stream view type in the wrong case",
      { [`${T}.stream`]: "new and old images" },
      {
        mentions: 'stream: "NEW_AND_OLD_IMAGES"',
      },
    ),
    tableCase("an empty TTL attribute name", { [`${T}.ttl`]: "" }),
    tableCase("a TTL attribute name that is not a string", { [`${T}.ttl`]: 3600 }),
    tableCase("point-in-time recovery that is not a boolean", { [`${T}.pointInTimeRecovery`]: "yes" }),
    tableCase("deletion protection that is not a boolean", { [`${T}.deletionProtection`]: 1 }),
  ]);
});

describe("tables: secondary indexes", () => {
  const I = `${T}.indexes`;
  runCases([
    tableCase("an index name under 3 characters", { [`${I}.ab`]: gsi("player") }, { value: "ab" }),
    tableCase("an index name with a space", { [`${I}.by player`]: gsi("player") }, { value: "by player" }),
    tableCase("a global index without a partition key", {
      [`${I}.byPlayer`]: { projection: "all" },
      [`${I}.byPlayer.partitionKey`]: undefined,
    }),
    tableCase(
      "an index without a projection",
      { [`${I}.byPlayer`]: { partitionKey: key("player") } },
      {
        path: `${I}.byPlayer.projection`,
        value: undefined,
      },
    ),
    tableCase(
      "a projection that is not all, keys or a list",
      {
        [`${I}.byPlayer`]: { partitionKey: key("player"), projection: "everything" },
      },
      { path: `${I}.byPlayer.projection`, value: "everything" },
    ),
    tableCase(
      "an empty projection list",
      {
        [`${I}.byPlayer`]: { partitionKey: key("player"), projection: [] },
      },
      { path: `${I}.byPlayer.projection`, value: [] },
    ),
    tableCase(
      "21 attributes projected into one index (API_Projection: at most 20)",
      {
        [`${I}.byPlayer`]: {
          partitionKey: key("player"),
          projection: Array.from({ length: 21 }, (_, i) => `a${i}`),
        },
      },
      {
        path: `${I}.byPlayer.projection`,
        value: Array.from({ length: 21 }, (_, i) => `a${i}`),
        mentions: "20",
      },
    ),
    tableCase(
      "an attribute projected twice",
      {
        [`${I}.byPlayer`]: { partitionKey: key("player"), projection: ["score", "score"] },
      },
      { path: `${I}.byPlayer.projection`, value: "score" },
    ),
    tableCase(
      "a local index on a table without a sort key",
      {
        [`${T}.sortKey`]: undefined,
        [`${I}.byScore`]: { sortKey: key("score", "N"), projection: "all", local: true },
      },
      { path: `${I}.byScore.local`, value: true, mentions: "sortKey" },
    ),
    tableCase(
      "a local index without a sort key",
      {
        [`${I}.byScore`]: { projection: "all", local: true },
      },
      { path: `${I}.byScore.sortKey`, value: undefined },
    ),
    tableCase(
      "a local index with another partition key",
      {
        [`${I}.byScore`]: {
          partitionKey: key("player"),
          sortKey: key("score", "N"),
          projection: "all",
          local: true,
        },
      },
      { path: `${I}.byScore.partitionKey`, value: key("player"), mentions: '"pk"' },
    ),
    tableCase(
      "a key attribute given two types",
      {
        [`${I}.bySk`]: { partitionKey: key("sk", "S"), projection: "keys" },
      },
      { path: `${I}.bySk.partitionKey.type`, value: "S", mentions: 'type: "N"' },
    ),
    tableCase(
      "an unknown index option",
      {
        [`${I}.byPlayer`]: { partitionKey: key("player"), projection: "all", global: true },
      },
      { path: `${I}.byPlayer.global`, value: true },
    ),
    tableCase(
      "more than 20 global indexes",
      {
        [I]: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`index${i}`, gsi(`a${i}`)])),
      },
      { value: 21, mentions: "20" },
    ),
    tableCase(
      "more than 5 local indexes",
      {
        [I]: Object.fromEntries(
          Array.from({ length: 6 }, (_, i) => [
            `local${i}`,
            { sortKey: key(`s${i}`), projection: "keys", local: true },
          ]),
        ),
      },
      { value: 6, mentions: "5" },
    ),
    tableCase(
      "more than 100 projected attributes across the indexes",
      {
        // Six indexes of 17 (each within the 20 one index may project): 102 in all.
        [I]: Object.fromEntries(
          ["a", "b", "c", "d", "e", "f"].map((k) => [
            `by_${k}`,
            { partitionKey: key(k), projection: Array.from({ length: 17 }, (_, i) => `x${i}`) },
          ]),
        ),
      },
      { value: 102, mentions: "100" },
    ),
  ]);

  test("the same key attribute in two indexes with one type is fine, and 20 global plus 5 local indexes fit", () => {
    const d: Obj = { name: "app", functions: { work: { handler: "src/w.handler" } } };
    withTables(d);
    const indexes: Obj = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`index${i}`, gsi("player")]),
    );
    for (let i = 0; i < 5; i++)
      indexes[`local${i}`] = { sortKey: key(`s${i}`), projection: "keys", local: true };
    setPath(d, `${T}.indexes`, indexes);
    assert.throws(() => issuesOf(d), /expected normaliseApp to reject/);
  });
});

describe("consumes: { table }", () => {
  runCases([
    tableCase("a consumed table that does not exist", { [`${C}.table`]: "gmaes" }, { mentions: '"games"' }),
    tableCase(
      "a consumed table without a stream",
      { [`${T}.stream`]: undefined },
      {
        path: `${C}.table`,
        value: "games",
        mentions: "stream",
      },
    ),
    tableCase(
      "a queue consumed as a table",
      { [`${C}.table`]: "jobs" },
      { mentions: 'consumes: { queue: "jobs" }' },
    ),
    tableCase("a missing starting position", { [`${C}.startingPosition`]: undefined }),
    tableCase("a starting position AWS does not have", { [`${C}.startingPosition`]: "latest" }),
    tableCase("a batch size above 10000", { [`${C}.batchSize`]: 10001 }),
    tableCase("a batch size of 0", { [`${C}.batchSize`]: 0 }),
    tableCase("a batching window above 5 minutes", { [`${C}.maximumBatchingWindow`]: "301 seconds" }),
    tableCase("retries below -1", { [`${C}.maximumRetryAttempts`]: -2 }),
    tableCase("retries above 10000", { [`${C}.maximumRetryAttempts`]: 10001 }),
    tableCase(
      "a record age under 60 seconds",
      { [`${C}.maximumRecordAge`]: "59 seconds" },
      { mentions: "1 minute" },
    ),
    tableCase("a record age over 7 days", { [`${C}.maximumRecordAge`]: "8 days" }),
    tableCase("a record age given as a bare number", { [`${C}.maximumRecordAge`]: 3600 }),
    tableCase("a record age that is not a duration", { [`${C}.maximumRecordAge`]: "forever" }),
    tableCase("a parallelization factor above 10", { [`${C}.parallelizationFactor`]: 11 }),
    tableCase("a parallelization factor of 0", { [`${C}.parallelizationFactor`]: 0 }),
    tableCase("a tumbling window above 15 minutes", { [`${C}.tumblingWindow`]: "16 minutes" }),
    tableCase("bisect that is not a boolean", { [`${C}.bisectBatchOnFunctionError`]: "yes" }),
    tableCase(
      "an on-failure queue that does not exist",
      { [`${C}.onFailure`]: "faild" },
      { mentions: '"failed"' },
    ),
    tableCase("a FIFO on-failure queue", { [`${C}.onFailure`]: "ordered" }, { mentions: "standard queue" }),
    tableCase("an unknown mapping option", { [`${C}.batchsize`]: 10 }, { mentions: '"batchSize"' }),
    tableCase(
      "a function consuming a queue and a table",
      { [`${C}.queue`]: "jobs" },
      {
        path: C,
        value: { queue: "jobs", table: "games" },
      },
    ),
    tableCase(
      "more than 5 filters",
      { [`${C}.filters`]: Array.from({ length: 6 }, () => ({ eventName: ["INSERT"] })) },
      {
        value: 6,
      },
    ),
    tableCase("an empty filter list", { [`${C}.filters`]: [] }),
    tableCase("filters that are not a list", { [`${C}.filters`]: { eventName: ["INSERT"] } }),
    tableCase(
      "a filter that is not an event pattern",
      { [`${C}.filters`]: [{ eventName: "INSERT" }] },
      {
        path: `${C}.filters[0]`,
        value: { eventName: "INSERT" },
      },
    ),
    tableCase(
      "a filter pattern over 4096 characters",
      { [`${C}.filters`]: [{ eventName: ["x".repeat(4100)] }] },
      {
        path: `${C}.filters[0]`,
        value: { eventName: ["x".repeat(4100)] },
        mentions: "4096",
      },
    ),
    tableCase(
      "an invalid filter on a queue's mapping",
      {
        "functions.work.consumes.filters": [{ body: { kind: [{ prefix: 1 }] } }],
      },
      { path: "functions.work.consumes.filters[0]", value: { body: { kind: [{ prefix: 1 }] } } },
    ),
  ]);

  test("the dead-letter queue Sluice generates can take a stream's failures", () => {
    const d: Obj = { name: "app", functions: { work: { handler: "src/w.handler" } } };
    withTables(d);
    setPath(d, "queues.failed.deadLetter", { maxReceiveCount: 3 });
    setPath(d, `${C}.onFailure`, "failed-dlq");
    assert.throws(() => issuesOf(d), /expected normaliseApp to reject/);
  });
});

describe("permissions on tables", () => {
  const P = "functions.work.permissions";
  const statement = (actions: string[], resources: string[]) => [{ actions, resources }];
  runCases([
    tableCase(
      "a permission on a table that does not exist",
      {
        [P]: statement(["dynamodb:GetItem"], ["table:gmaes"]),
      },
      { path: `${P}[0].resources[0]`, value: "table:gmaes", mentions: '"table:games"' },
    ),
    tableCase(
      "a table permission whose actions cannot apply to a table",
      {
        [P]: statement(["sqs:SendMessage"], ["table:games"]),
      },
      { path: `${P}[0].resources[0]`, value: "table:games", mentions: "dynamodb:GetItem" },
    ),
    tableCase(
      "a DynamoDB action that does not exist",
      {
        [P]: statement(["dynamodb:PutItems"], ["table:games"]),
      },
      { path: `${P}[0].actions[0]`, value: "dynamodb:PutItems", mentions: '"dynamodb:PutItem"' },
    ),
    tableCase(
      "a transaction operation named as an action",
      {
        [P]: statement(["dynamodb:TransactWriteItems"], ["table:games"]),
      },
      {
        path: `${P}[0].actions[0]`,
        value: "dynamodb:TransactWriteItems",
        mentions: "dynamodb:ConditionCheckItem",
      },
    ),
    tableCase(
      "a PartiQL operation named as an action",
      {
        [P]: statement(["dynamodb:ExecuteStatement"], ["table:games"]),
      },
      { path: `${P}[0].actions[0]`, value: "dynamodb:ExecuteStatement", mentions: "dynamodb:PartiQLSelect" },
    ),
    tableCase(
      "an ARN naming the app's table by its unstaged name",
      {
        [P]: statement(
          ["dynamodb:GetItem"],
          ["arn:aws:dynamodb:us-east-1:123456789012:table/app-games/index/*"],
        ),
      },
      {
        path: `${P}[0].resources[0]`,
        value: "arn:aws:dynamodb:us-east-1:123456789012:table/app-games/index/*",
        mentions: '"table:games"',
      },
    ),
    tableCase(
      "two tables sharing a discovery variable",
      {
        "tables.a-b": { partitionKey: key("pk") },
        "tables.a_b": { partitionKey: key("pk") },
      },
      { path: "tables.a_b", value: "a_b", mentions: "SLUICE_TABLE_A_B_NAME" },
    ),
  ]);

  test("wildcards and every DynamoDB action stay valid", () => {
    const d: Obj = { name: "app", functions: { work: { handler: "src/w.handler" } } };
    withTables(d);
    setPath(
      d,
      P,
      statement(
        ["dynamodb:*", "dynamodb:Get*", "dynamodb:GetRecords", "dynamodb:PartiQLSelect"],
        ["table:games"],
      ),
    );
    assert.throws(() => issuesOf(d), /expected normaliseApp to reject/);
  });
});
