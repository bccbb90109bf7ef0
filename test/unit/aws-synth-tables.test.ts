import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import type { Template } from "../../src/aws/template/template.ts";
import type { AppSpec, PermissionSpec, TableConsumesSpec, TableSpec } from "../../src/model/app-spec.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

/**
 * The app of issue 15's example, built by hand around a normalised app so these tests pin the
 * template whatever the definition's surface: a streamed table with a GSI and an LSI, a plain
 * table, a stream consumer with every mapping setting, and a queue consumer with filters.
 */
const GAMES: TableSpec = {
  name: "games",
  tableName: "arcade-games",
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "N" },
  indexes: {
    byPlayer: {
      name: "byPlayer",
      kind: "global",
      partitionKey: { name: "player", type: "S" },
      sortKey: { name: "sk", type: "N" },
      projection: { type: "ALL" },
    },
    byScore: {
      name: "byScore",
      kind: "local",
      partitionKey: { name: "pk", type: "S" },
      sortKey: { name: "score", type: "N" },
      projection: { type: "INCLUDE", nonKeyAttributes: ["player", "at"] },
    },
  },
  stream: "NEW_AND_OLD_IMAGES",
  ttlAttribute: "expiresAt",
  pointInTimeRecovery: true,
  deletionProtection: false,
};

const NOTES: TableSpec = {
  name: "notes",
  tableName: "arcade-notes",
  partitionKey: { name: "id", type: "S" },
  indexes: {},
  pointInTimeRecovery: false,
  deletionProtection: true,
};

const ROLLUP: TableConsumesSpec = {
  table: "games",
  batchSize: 100,
  maximumBatchingWindowSeconds: 5,
  startingPosition: "LATEST",
  maximumRetryAttempts: 3,
  maximumRecordAgeSeconds: 3600,
  bisectBatchOnFunctionError: true,
  parallelizationFactor: 4,
  tumblingWindowSeconds: 60,
  reportBatchItemFailures: true,
  onFailure: "failed-batches",
  filters: ['{"eventName":["INSERT"]}'],
};

function spec(rollup: TableConsumesSpec = ROLLUP, writer?: PermissionSpec): AppSpec {
  const base = normaliseApp(
    {
      name: "arcade",
      queues: { "failed-batches": {}, jobs: {} },
      functions: {
        rollup: { handler: "src/rollup.handler" },
        worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
        idle: { handler: "src/idle.handler" },
      },
    },
    { accountId: "123456789012" },
  );
  const rollupFn = base.functions.rollup;
  const worker = base.functions.worker;
  const idle = base.functions.idle;
  assert.ok(rollupFn && worker?.consumes && idle);
  return {
    ...base,
    tables: { games: GAMES, notes: NOTES },
    functions: {
      ...base.functions,
      rollup: { ...rollupFn, consumesTable: rollup },
      ...(writer
        ? { writer: { ...idle, name: "writer", functionName: "arcade-writer", permissions: [writer] } }
        : {}),
      worker: {
        ...worker,
        consumes: {
          ...worker.consumes,
          filters: ['{"body":{"kind":["order"]}}', '{"body":{"kind":["refund"]}}'],
        },
      },
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: template resources are checked structurally.
function resource(template: Template, id: string): any {
  const found = template.Resources[id];
  assert.ok(found, `no resource ${id}`);
  return found;
}

describe("synth of DynamoDB tables and stream mappings", () => {
  test("a table has its keys, on-demand billing, stream, TTL, point-in-time recovery and deletion protection", async () => {
    const table = resource(await synthesize(spec()), "GamesTable");
    assert.equal(table.Type, "AWS::DynamoDB::Table");
    assert.equal(table.Properties.TableName, "arcade-games");
    assert.equal(table.Properties.BillingMode, "PAY_PER_REQUEST");
    assert.deepEqual(table.Properties.KeySchema, [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    assert.deepEqual(table.Properties.StreamSpecification, { StreamViewType: "NEW_AND_OLD_IMAGES" });
    assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: "expiresAt", Enabled: true });
    assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
    assert.equal(table.Properties.DeletionProtectionEnabled, false);
    assert.equal(table.DeletionPolicy, "Delete");
    assert.equal(table.UpdateReplacePolicy, "Delete");
  });

  test("attribute definitions list each key attribute of the table and its indexes once, and nothing else", async () => {
    const table = resource(await synthesize(spec()), "GamesTable");
    assert.deepEqual(table.Properties.AttributeDefinitions, [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "N" },
      { AttributeName: "player", AttributeType: "S" },
      { AttributeName: "score", AttributeType: "N" },
    ]);
  });

  test("global and local indexes carry their key schema and projection, INCLUDE with its attributes", async () => {
    const table = resource(await synthesize(spec()), "GamesTable");
    assert.deepEqual(table.Properties.GlobalSecondaryIndexes, [
      {
        IndexName: "byPlayer",
        KeySchema: [
          { AttributeName: "player", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ]);
    assert.deepEqual(table.Properties.LocalSecondaryIndexes, [
      {
        IndexName: "byScore",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "score", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["player", "at"] },
      },
    ]);
  });

  test("a table without stream, TTL or indexes writes none of them, and its deletion protection", async () => {
    const table = resource(await synthesize(spec()), "NotesTable");
    for (const absent of [
      "StreamSpecification",
      "TimeToLiveSpecification",
      "GlobalSecondaryIndexes",
      "LocalSecondaryIndexes",
    ]) {
      assert.equal(table.Properties[absent], undefined, absent);
    }
    assert.deepEqual(table.Properties.KeySchema, [{ AttributeName: "id", KeyType: "HASH" }]);
    assert.equal(table.Properties.DeletionProtectionEnabled, true);
  });

  test("each table's name is a stack output", async () => {
    const template = await synthesize(spec());
    assert.deepEqual(template.Outputs.GamesTableName?.Value, { Ref: "GamesTable" });
    assert.deepEqual(template.Outputs.NotesTableName?.Value, { Ref: "NotesTable" });
  });

  test("a stream mapping reads the table's StreamArn with every setting of the definition", async () => {
    const mapping = resource(await synthesize(spec()), "RollupEventSourceMapping");
    assert.equal(mapping.Type, "AWS::Lambda::EventSourceMapping");
    assert.deepEqual(mapping.Properties, {
      FunctionName: { Ref: "RollupFunction" },
      EventSourceArn: { "Fn::GetAtt": ["GamesTable", "StreamArn"] },
      Enabled: true,
      StartingPosition: "LATEST",
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      BisectBatchOnFunctionError: true,
      ParallelizationFactor: 4,
      TumblingWindowInSeconds: 60,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": ["FailedBatchesQueue", "Arn"] } } },
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
    });
  });

  test("a stream mapping with Lambda's defaults writes them out and leaves the optional ones off", async () => {
    const defaults: TableConsumesSpec = {
      table: "games",
      batchSize: 100,
      maximumBatchingWindowSeconds: 0,
      startingPosition: "TRIM_HORIZON",
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: -1,
      bisectBatchOnFunctionError: false,
      parallelizationFactor: 1,
      reportBatchItemFailures: false,
    };
    const mapping = resource(await synthesize(spec(defaults)), "RollupEventSourceMapping");
    assert.equal(mapping.Properties.MaximumRetryAttempts, -1);
    assert.equal(mapping.Properties.MaximumRecordAgeInSeconds, -1);
    assert.equal(mapping.Properties.StartingPosition, "TRIM_HORIZON");
    for (const absent of [
      "TumblingWindowInSeconds",
      "FunctionResponseTypes",
      "DestinationConfig",
      "FilterCriteria",
    ]) {
      assert.equal(mapping.Properties[absent], undefined, absent);
    }
  });

  test("an SQS mapping carries its filters as FilterCriteria too", async () => {
    const mapping = resource(await synthesize(spec()), "WorkerEventSourceMapping");
    assert.deepEqual(mapping.Properties.FilterCriteria, {
      Filters: [{ Pattern: '{"body":{"kind":["order"]}}' }, { Pattern: '{"body":{"kind":["refund"]}}' }],
    });
    assert.equal(resource(await synthesize(spec()), "IdleFunction").Type, "AWS::Lambda::Function");
  });

  test("the stream consumer's role reads only that table's stream and sends only to its on-failure queue", async () => {
    const template = await synthesize(spec());
    const statements = resource(template, "RollupRole").Properties.Policies[0].PolicyDocument.Statement as {
      Action: string[];
      Resource: unknown[];
    }[];
    const reading = statements.find((s) => s.Action.includes("dynamodb:GetRecords"));
    assert.ok(reading, JSON.stringify(statements));
    assert.deepEqual([...reading.Action].sort(), [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
    ]);
    assert.ok(reading.Resource.length > 0);
    for (const r of reading.Resource) assert.match(JSON.stringify(r), /GamesTable/);
    const sending = statements.filter((s) => s.Action.includes("sqs:SendMessage"));
    assert.deepEqual(
      sending.flatMap((s) => s.Resource),
      [{ "Fn::GetAtt": ["FailedBatchesQueue", "Arn"] }],
    );
    const everything = JSON.stringify(statements);
    assert.doesNotMatch(everything, /NotesTable|dynamodb:PutItem|dynamodb:\*/);
    // A function with nothing to do with tables gets no DynamoDB action at all.
    assert.doesNotMatch(JSON.stringify(resource(template, "IdleRole").Properties), /dynamodb/);
    assert.deepEqual(checkTemplatePolicies(template), []);
  });

  test("a function granted table:<name> may act on the table and its indexes, and only with the actions named", async () => {
    const writer = { actions: ["dynamodb:PutItem", "dynamodb:Query"], resources: ["table:notes"] };
    const template = await synthesize(spec(ROLLUP, writer));
    const statements = resource(template, "WriterRole").Properties.Policies[0].PolicyDocument.Statement as {
      Action: string[];
      Resource: unknown[];
    }[];
    const declared = statements.find((s) => s.Action.includes("dynamodb:PutItem"));
    assert.deepEqual(declared?.Action, ["dynamodb:PutItem", "dynamodb:Query"]);
    assert.deepEqual(declared?.Resource, [
      { "Fn::GetAtt": ["NotesTable", "Arn"] },
      { "Fn::Sub": `\${NotesTable.Arn}/index/*` },
    ]);
    assert.deepEqual(checkTemplatePolicies(template), []);
  });

  test("a function linked to a table finds it through SLUICE_TABLE_<NAME>_NAME and _ARN", async () => {
    const writer = { actions: ["dynamodb:PutItem"], resources: ["table:notes"] };
    const template = await synthesize(spec(ROLLUP, writer));
    const variables = resource(template, "WriterFunction").Properties.Environment.Variables;
    assert.deepEqual(variables.SLUICE_TABLE_NOTES_NAME, { Ref: "NotesTable" });
    assert.deepEqual(variables.SLUICE_TABLE_NOTES_ARN, { "Fn::GetAtt": ["NotesTable", "Arn"] });
    const rollup = resource(template, "RollupFunction").Properties.Environment.Variables;
    assert.deepEqual(rollup.SLUICE_TABLE_GAMES_NAME, { Ref: "GamesTable" });
    assert.equal(resource(template, "IdleFunction").Properties.Environment, undefined);
  });

  test("the least-privilege check lets ListTables name `*`, which it must, and refuses `*` for item actions", async () => {
    const listing = { actions: ["dynamodb:ListTables"], resources: ["*"] };
    assert.deepEqual(checkTemplatePolicies(await synthesize(spec(ROLLUP, listing))), []);
    const template = await synthesize(spec(ROLLUP, listing));
    const statements = resource(template, "WriterRole").Properties.Policies[0].PolicyDocument.Statement;
    statements.push({ Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: ["*"] });
    assert.match(
      checkTemplatePolicies(template)
        .map((p) => p.message)
        .join("\n"),
      /resource "\*" for dynamodb:GetItem, which support resource-level permissions/,
    );
  });

  test("every generated resource is valid against AWS's resource schemas", async () => {
    assert.deepEqual(await validateTemplate(await synthesize(spec())), []);
    const writer = { actions: ["dynamodb:PutItem"], resources: ["table:notes"] };
    assert.deepEqual(await validateTemplate(await synthesize(spec(ROLLUP, writer))), []);
  });

  test("describe draws each table, its stream consumer, and where discarded batches go", () => {
    const graph = appGraph(spec());
    const table = graph.nodes.find((n) => n.id === "table:games");
    assert.equal(table?.kind, "table");
    assert.equal(table?.detail, "pk S · sk N · stream NEW_AND_OLD_IMAGES");
    assert.equal(graph.nodes.find((n) => n.id === "table:notes")?.detail, "id S");
    const edges = graph.edges
      .filter((e) => e.from === "table:games" || (e.from === "function:rollup" && e.kind === "on-failure"))
      .map((e) => `${e.from} -${e.kind}-> ${e.to} (${e.label})`);
    assert.deepEqual(edges, [
      "table:games -consumes-> function:rollup (stream · batch 100)",
      "function:rollup -on-failure-> queue:failed-batches (discarded batches)",
    ]);
  });
});
