import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { synthApp } from "../../src/aws/synth-app.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import type { DeployedResource } from "../../src/local/cloud-host/deployed-resources.ts";
import { regionApp } from "../../src/local/cloud-host/region-app.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { type ResourceContext, ResourceFailure } from "../../src/local/cloudformation/resource-provider.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import { ROOT } from "../support/aws-golden.ts";
import { deployTemplate, type TemplateLike } from "../support/cloud-deploy.ts";
import { tempDir } from "../support/temp.ts";

const tmp = tempDir("sluice-providers-dynamodb-");
after(() => tmp.cleanup());
const clock = new ManualClock(Date.parse("2026-12-06T05:00:00.123Z"));
const db = openStore(join(tmp.dir, "account.sqlite"));
after(() => db.close());
const existing = new Set(["taken"]);
const deleted: string[] = [];
const providers = createProviders({
  s3: new S3Store(db, clock),
  queues: { exists: () => false, delete: () => {} },
  tables: {
    exists: (_region, name) => existing.has(name),
    delete: (_region, name) => void deleted.push(name),
  },
  codeDir: join(tmp.dir, "code"),
  allocatePort: async () => 45_678,
  versions: { next: () => 1 },
  random: (length) => "X".repeat(length),
});

function context(resourceType: string, logicalId = "GamesTable"): ResourceContext {
  return {
    region: "eu-west-1",
    accountId: "123456789012",
    partition: "aws",
    stackName: "arcade",
    stackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/arcade/1",
    logicalId,
    resourceType,
    endpointUrl: "http://127.0.0.1:4599",
    clock,
  };
}

const TABLE = "AWS::DynamoDB::Table";
const MAPPING = "AWS::Lambda::EventSourceMapping";

function provider(type: string) {
  const found = providers(type);
  assert.ok(found, type);
  return found;
}

const GAMES = {
  TableName: "arcade-games",
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [
    { AttributeName: "pk", AttributeType: "S" },
    { AttributeName: "sk", AttributeType: "N" },
    { AttributeName: "player", AttributeType: "S" },
  ],
  KeySchema: [
    { AttributeName: "pk", KeyType: "HASH" },
    { AttributeName: "sk", KeyType: "RANGE" },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: "byPlayer",
      KeySchema: [{ AttributeName: "player", KeyType: "HASH" }],
      Projection: { ProjectionType: "ALL" },
    },
  ],
  StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
  TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
  DeletionProtectionEnabled: false,
};

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail("expected a ResourceFailure"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ResourceFailure, String(error));
  return error.message;
}

describe("the AWS::DynamoDB::Table provider", () => {
  test("Ref is the table's name; Arn and StreamArn carry the ISO label of the stream's start", async () => {
    const made = await provider(TABLE).create(GAMES, context(TABLE));
    assert.equal(made.physicalId, "arcade-games");
    assert.equal(made.attributes.Arn, "arn:aws:dynamodb:eu-west-1:123456789012:table/arcade-games");
    assert.equal(
      made.attributes.StreamArn,
      "arn:aws:dynamodb:eu-west-1:123456789012:table/arcade-games/stream/2026-12-06T05:00:00.123",
    );
  });

  test("a table without a stream has no StreamArn", async () => {
    const { StreamSpecification: _, ...plain } = GAMES;
    const made = await provider(TABLE).create(plain, context(TABLE));
    assert.equal(made.attributes.StreamArn, undefined);
  });

  test("a table without a name gets CloudFormation's <stack>-<logicalId>-<RANDOM> name", async () => {
    const { TableName: _, ...unnamed } = GAMES;
    const made = await provider(TABLE).create(unnamed, context(TABLE, "Scores"));
    assert.equal(made.physicalId, "arcade-Scores-XXXXXXXXXXXX");
  });

  test("an update keeps the stream's label while its view type stays, and starts a new stream when it changes", async () => {
    const made = await provider(TABLE).create(GAMES, context(TABLE));
    const current = { ...made, properties: GAMES };
    await clock.advance(60_000);
    const same = await provider(TABLE).update(
      current,
      { ...GAMES, DeletionProtectionEnabled: true },
      context(TABLE),
    );
    assert.equal(same.attributes.StreamArn, made.attributes.StreamArn);
    const changed = await provider(TABLE).update(
      current,
      { ...GAMES, StreamSpecification: { StreamViewType: "KEYS_ONLY" } },
      context(TABLE),
    );
    assert.match(String(changed.attributes.StreamArn), /\/stream\/2026-12-06T05:01:00\.123$/);
    const { StreamSpecification: _, ...off } = GAMES;
    assert.equal(
      (await provider(TABLE).update(current, off, context(TABLE))).attributes.StreamArn,
      undefined,
    );
  });

  test("replaces on TableName and KeySchema, as AWS's schema says", () => {
    assert.deepEqual([...provider(TABLE).replaceOn].sort(), [
      "ImportSourceSpecification",
      "KeySchema",
      "TableName",
    ]);
    assert.equal(provider(TABLE).nameProperty, "TableName");
  });

  test("refuses a table that exists already, as CloudFormation does", async () => {
    assert.match(
      await failure(provider(TABLE).create({ ...GAMES, TableName: "taken" }, context(TABLE))),
      /Resource of type 'AWS::DynamoDB::Table' with identifier 'taken' already exists\./,
    );
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    [
      "a name outside DynamoDB's pattern",
      { TableName: "bad name!" },
      /Value 'bad name!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    ],
    [
      "a name shorter than 3",
      { TableName: "ab" },
      /at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3/,
    ],
    [
      "a key schema that does not start with HASH",
      { KeySchema: [{ AttributeName: "pk", KeyType: "RANGE" }] },
      /Invalid KeySchema: The first KeySchemaElement is not a HASH key type/,
    ],
    [
      "a key attribute missing from AttributeDefinitions",
      {
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "player", AttributeType: "S" },
        ],
      },
      /Some index key attributes are not defined in AttributeDefinitions\. Keys: \[sk\], AttributeDefinitions: \[pk, player\]/,
    ],
    [
      "an attribute definition no key uses",
      {
        AttributeDefinitions: [...GAMES.AttributeDefinitions, { AttributeName: "extra", AttributeType: "S" }],
      },
      /Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions/,
    ],
    [
      "an attribute type other than S, N or B",
      { AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "BOOL" }] },
      /Value 'BOOL' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: \[B, N, S\]/,
    ],
    [
      "an unknown stream view type",
      { StreamSpecification: { StreamViewType: "EVERYTHING" } },
      /Value 'EVERYTHING' at 'streamSpecification.streamViewType' failed to satisfy constraint/,
    ],
    [
      "a local index with another partition key",
      {
        LocalSecondaryIndexes: [
          {
            IndexName: "byPlayer2",
            KeySchema: [
              { AttributeName: "player", KeyType: "HASH" },
              { AttributeName: "sk", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
      },
      /Index KeySchema does not have the same leading hash key as table KeySchema for index: byPlayer2\. index hash key: player, table hash key: pk/,
    ],
    [
      "a local index without a sort key",
      {
        LocalSecondaryIndexes: [
          {
            IndexName: "byPk",
            KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
      },
      /Index KeySchema does not have a range key for index: byPk/,
    ],
    [
      "more global indexes than the quota",
      {
        GlobalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => ({
          IndexName: `index${i}`,
          KeySchema: [{ AttributeName: "player", KeyType: "HASH" }],
          Projection: { ProjectionType: "ALL" },
        })),
      },
      /GlobalSecondaryIndex count exceeds the per-table limit of 20/,
    ],
  ];
  for (const [what, change, message] of invalid) {
    test(`refuses ${what} with DynamoDB's message`, async () => {
      assert.match(await failure(provider(TABLE).create({ ...GAMES, ...change }, context(TABLE))), message);
    });
  }

  test("a delete removes the table and its items; a protected table refuses, as DeleteTable does", async () => {
    const made = await provider(TABLE).create(GAMES, context(TABLE));
    await provider(TABLE).delete({ ...made, properties: GAMES }, context(TABLE));
    assert.deepEqual(deleted.splice(0), ["arcade-games"]);
    const protectedTable = { ...GAMES, DeletionProtectionEnabled: true };
    assert.match(
      await failure(provider(TABLE).delete({ ...made, properties: protectedTable }, context(TABLE))),
      /currently protected against deletion/,
    );
    assert.deepEqual(deleted, []);
  });
});

describe("the event source mapping provider on a DynamoDB stream", () => {
  const STREAM = "arn:aws:dynamodb:eu-west-1:123456789012:table/arcade-games/stream/2026-12-06T05:00:00.123";
  const mapping = {
    FunctionName: "arcade-rollup",
    EventSourceArn: STREAM,
    StartingPosition: "LATEST",
    BatchSize: 1000,
    MaximumRetryAttempts: -1,
    MaximumRecordAgeInSeconds: -1,
    ParallelizationFactor: 10,
    TumblingWindowInSeconds: 900,
    DestinationConfig: { OnFailure: { Destination: "arn:aws:sqs:eu-west-1:123456789012:arcade-failed" } },
    FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
  };

  test("accepts a stream ARN with stream settings in Lambda's ranges (batches over 10 need no window)", async () => {
    const made = await provider(MAPPING).create(mapping, context(MAPPING, "RollupEventSourceMapping"));
    assert.match(String(made.attributes.EventSourceMappingArn), /:event-source-mapping:/);
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    [
      "no starting position",
      { StartingPosition: undefined },
      /'startingPosition' failed to satisfy constraint: Member must not be null/,
    ],
    [
      "AT_TIMESTAMP, which DynamoDB streams do not offer",
      { StartingPosition: "AT_TIMESTAMP" },
      /'startingPosition'.*enum value set: \[TRIM_HORIZON, LATEST\]/,
    ],
    [
      "a batch of 10,001",
      { BatchSize: 10_001 },
      /'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000/,
    ],
    [
      "a parallelization factor of 11",
      { ParallelizationFactor: 11 },
      /'parallelizationFactor'.*less than or equal to 10/,
    ],
    [
      "a record age of 30 seconds",
      { MaximumRecordAgeInSeconds: 30 },
      /'maximumRecordAgeInSeconds'.*greater than or equal to 60/,
    ],
    [
      "a tumbling window of 901 seconds",
      { TumblingWindowInSeconds: 901 },
      /'tumblingWindowInSeconds'.*less than or equal to 900/,
    ],
    [
      "an on-failure destination that is a function",
      {
        DestinationConfig: { OnFailure: { Destination: "arn:aws:lambda:eu-west-1:123456789012:function:x" } },
      },
      /DestinationConfig\.OnFailure is invalid/,
    ],
    [
      "six filters",
      { FilterCriteria: { Filters: Array.from({ length: 6 }, () => ({ Pattern: "{}" })) } },
      /'filterCriteria.filters'.*less than or equal to 5/,
    ],
    [
      "a filter that is not JSON",
      { FilterCriteria: { Filters: [{ Pattern: "{nope" }] } },
      /Invalid filter pattern definition/,
    ],
  ];
  for (const [what, change, message] of refused) {
    test(`refuses ${what}`, async () => {
      const properties = Object.fromEntries(
        Object.entries({ ...mapping, ...change }).filter(([, v]) => v !== undefined),
      );
      assert.match(await failure(provider(MAPPING).create(properties, context(MAPPING))), message);
    });
  }

  test("filters on an SQS mapping are checked too", async () => {
    const properties = {
      FunctionName: "arcade-worker",
      EventSourceArn: "arn:aws:sqs:eu-west-1:123456789012:arcade-jobs",
      FilterCriteria: { Filters: [{ Pattern: "[1]" }] },
    };
    assert.match(
      await failure(provider(MAPPING).create(properties, context(MAPPING))),
      /Invalid filter pattern/,
    );
  });
});

describe("a region's deployed tables and stream mappings as the app it runs", () => {
  const STREAM = "arn:aws:dynamodb:eu-west-1:123456789012:table/arcade-games/stream/2026-12-06T05:00:00.123";
  function deployed(
    logicalId: string,
    resourceType: string,
    physicalId: string,
    properties: Record<string, unknown>,
    attributes: Record<string, unknown> = {},
  ): DeployedResource {
    return { logicalId, resourceType, physicalId, properties, attributes } as unknown as DeployedResource;
  }
  const resources = [
    deployed("GamesTable", TABLE, "arcade-games", GAMES, {
      Arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/arcade-games",
      StreamArn: STREAM,
      StreamLabel: "2026-12-06T05:00:00.123",
    }),
    deployed(
      "NotesTable",
      TABLE,
      "arcade-notes",
      {
        TableName: "arcade-notes",
        AttributeDefinitions: [
          { AttributeName: "id", AttributeType: "S" },
          { AttributeName: "at", AttributeType: "N" },
        ],
        KeySchema: [
          { AttributeName: "id", KeyType: "HASH" },
          { AttributeName: "at", KeyType: "RANGE" },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: "byAt",
            KeySchema: [
              { AttributeName: "id", KeyType: "HASH" },
              { AttributeName: "at", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["who"] },
          },
        ],
        DeletionProtectionEnabled: "true",
      },
      { Arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/arcade-notes" },
    ),
    deployed(
      "FailedQueue",
      "AWS::SQS::Queue",
      "http://127.0.0.1:4599/123456789012/arcade-failed",
      {},
      {
        QueueName: "arcade-failed",
        Arn: "arn:aws:sqs:eu-west-1:123456789012:arcade-failed",
      },
    ),
    deployed("RollupFunction", "AWS::Lambda::Function", "arcade-rollup", { Handler: "index.handler" }),
    deployed("RollupEventSourceMapping", MAPPING, "uuid-1", {
      FunctionName: "arcade-rollup",
      EventSourceArn: STREAM,
      StartingPosition: "TRIM_HORIZON",
      BatchSize: "50",
      MaximumBatchingWindowInSeconds: 2,
      MaximumRetryAttempts: 4,
      MaximumRecordAgeInSeconds: 120,
      BisectBatchOnFunctionError: "true",
      ParallelizationFactor: 3,
      TumblingWindowInSeconds: 30,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      DestinationConfig: { OnFailure: { Destination: "arn:aws:sqs:eu-west-1:123456789012:arcade-failed" } },
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
    }),
  ];

  test("each deployed table becomes a TableSpec keyed by its name, with the stream label CloudFormation answered", () => {
    const { spec } = regionApp(resources, { region: "eu-west-1", accountId: "123456789012" });
    assert.deepEqual(spec.tables?.["arcade-games"], {
      name: "arcade-games",
      tableName: "arcade-games",
      partitionKey: { name: "pk", type: "S" },
      sortKey: { name: "sk", type: "N" },
      indexes: {
        byPlayer: {
          name: "byPlayer",
          kind: "global",
          partitionKey: { name: "player", type: "S" },
          projection: { type: "ALL" },
        },
      },
      stream: "NEW_AND_OLD_IMAGES",
      streamLabel: "2026-12-06T05:00:00.123",
      ttlAttribute: "expiresAt",
      pointInTimeRecovery: false,
      deletionProtection: false,
    });
    const notes = spec.tables?.["arcade-notes"];
    assert.deepEqual(notes?.indexes.byAt, {
      name: "byAt",
      kind: "local",
      partitionKey: { name: "id", type: "S" },
      sortKey: { name: "at", type: "N" },
      projection: { type: "INCLUDE", nonKeyAttributes: ["who"] },
    });
    assert.equal(notes?.deletionProtection, true);
    assert.equal(notes?.stream, undefined);
  });

  test("a mapping on a deployed table's stream becomes the function's consumesTable", () => {
    const { spec, notes } = regionApp(resources, { region: "eu-west-1", accountId: "123456789012" });
    const fn = spec.functions["arcade-rollup"];
    assert.equal(fn?.consumes, undefined);
    assert.deepEqual(fn?.consumesTable, {
      table: "arcade-games",
      batchSize: 50,
      maximumBatchingWindowSeconds: 2,
      startingPosition: "TRIM_HORIZON",
      maximumRetryAttempts: 4,
      maximumRecordAgeSeconds: 120,
      bisectBatchOnFunctionError: true,
      parallelizationFactor: 3,
      tumblingWindowSeconds: 30,
      reportBatchItemFailures: true,
      onFailure: "arcade-failed",
      filters: ['{"eventName":["INSERT"]}'],
    });
    assert.deepEqual(notes, []);
  });

  test("a mapping on a stream no deployed table has is left out with a note", () => {
    const other = resources.map((r) =>
      r.logicalId === "RollupEventSourceMapping"
        ? {
            ...r,
            properties: { ...r.properties, EventSourceArn: `${STREAM.replace("arcade-games", "gone")}` },
          }
        : r,
    );
    const { spec, notes } = regionApp(other, { region: "eu-west-1", accountId: "123456789012" });
    assert.equal(spec.functions["arcade-rollup"]?.consumesTable, undefined);
    assert.match(
      notes.join("\n"),
      /arcade-rollup: event source .*gone.* is not the stream of a table deployed in this region/,
    );
  });
});

describe("a synthesised table, deployed through the provider, is the table the definition declares", () => {
  test("keys, indexes, stream, TTL, recovery and protection survive synth → provider → region app", async () => {
    const app = { name: "tables-golden", dir: join(ROOT, "test", "fixtures", "apps", "tables-golden") };
    const dir = join(tmp.dir, "tables-golden");
    cpSync(app.dir, dir, { recursive: true, filter: (p) => !p.includes(".sluice") });
    const loaded = await loadApp(dir);
    const template = await synthApp(loaded);
    const tablesOnly = {
      Resources: Object.fromEntries(
        Object.entries(template.Resources).filter(([, r]) => r.Type === TABLE),
      ) as TemplateLike["Resources"],
    };
    const records = await deployTemplate(tablesOnly, {}, providers, {
      stackName: "tables-golden",
      region: "eu-west-1",
      accountId: "123456789012",
      endpointUrl: "http://127.0.0.1:4599",
    });
    const { spec } = regionApp(records, { region: "eu-west-1", accountId: "123456789012" });
    const declared = Object.values(loaded.spec.tables ?? {});
    assert.equal(declared.length, 2);
    for (const table of declared) {
      const running = spec.tables?.[table.tableName];
      assert.ok(running, table.tableName);
      const { streamLabel, ...shape } = running;
      assert.deepEqual(shape, { ...table, name: table.tableName });
      assert.equal(streamLabel !== undefined, table.stream !== undefined);
    }
  });
});
