/**
 * An app with DynamoDB tables and a stream-driven function, deployed through the real CLI to a
 * real `sluice cloud`: the stack creates the tables and the mapping, the region's cloud runs
 * them (a write to the table reaches the consumer through the stream), the deployed functions
 * find their tables through discovery and use them with the AWS SDK, and removing
 * a table that holds items says how many and asks first.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CloudFormationClient, DescribeStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { ROOT } from "../support/cli-process.ts";
import {
  HEALTH_CHECKER_ID,
  type LocalCloud,
  regionResults,
  run,
  SECRET_ACCESS_KEY,
  startCloud,
  transcript,
  useLocalCredentials,
} from "../support/deploy.ts";
import { eventually } from "../support/poll.ts";
import { copyApp, type TempDir } from "../support/temp.ts";

useLocalCredentials();
const REGION = "us-east-1";
const GAMES = "tables-dev-games";
const NOTES = "tables-dev-notes";

describe("deploying tables and a stream consumer to the local cloud", () => {
  let cloud: LocalCloud;
  let app: TempDir;
  let state: string;
  let dynamodb: DynamoDBClient;
  let lambda: LambdaClient;
  const at = (...args: string[]) => [...args, "--endpoint-url", cloud.url];
  const deploy = (...args: string[]) =>
    run(at("deploy", app.dir, "--region", REGION, "--health-checker-id", HEALTH_CHECKER_ID, ...args));
  const config = () => join(app.dir, "sluice.config.ts");

  before(async () => {
    state = mkdtempSync(join(tmpdir(), "sluice-cloud-tables-"));
    cloud = await startCloud(state);
    app = copyApp(join(ROOT, "test", "fixtures", "apps", "tables"));
    dynamodb = new DynamoDBClient({ region: REGION, endpoint: cloud.url });
    lambda = new LambdaClient({ region: REGION, endpoint: cloud.url });
    const bootstrap = await run(at("bootstrap", "--region", REGION));
    assert.equal(bootstrap.code, 0, bootstrap.stderr);
  });
  after(async () => {
    dynamodb?.destroy();
    lambda?.destroy();
    await cloud?.stop();
    app?.cleanup();
    if (state) rmSync(state, { recursive: true, force: true });
  });

  test("deploys the tables, the functions and the stream mapping, with each table's name as an output", async () => {
    const result = await deploy("--json");
    assert.equal(result.code, 0, `${result.stderr}\n${cloud.lines.join("\n")}`);
    const [region] = regionResults(result.stdout);
    assert.equal(region?.finalStatus, "CREATE_COMPLETE");
    assert.equal(region?.outputs.GamesTableName, GAMES);
    assert.equal(region?.outputs.NotesTableName, NOTES);
  });

  test("the region runs the tables as deployed: keys, index, stream and the stream ARN CloudFormation handed out", async () => {
    const table = await eventually(
      async () =>
        (await dynamodb.send(new DescribeTableCommand({ TableName: GAMES })).catch(() => undefined))?.Table,
      "the games table in the region's cloud",
    );
    assert.deepEqual(table.KeySchema, [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    assert.deepEqual(
      table.GlobalSecondaryIndexes?.map((i) => i.IndexName),
      ["byPlayer"],
    );
    assert.equal(table.StreamSpecification?.StreamViewType, "NEW_AND_OLD_IMAGES");
    const cfn = new CloudFormationClient({ region: REGION, endpoint: cloud.url });
    const resources = await cfn.send(
      new DescribeStackResourcesCommand({ StackName: "tables-dev", LogicalResourceId: "GamesTable" }),
    );
    cfn.destroy();
    assert.equal(resources.StackResources?.[0]?.PhysicalResourceId, GAMES);
    // The engine keeps the label the stack's provider chose (ISO time, no zone), so the stream the
    // mapping was given is the table's: the next test sees it deliver.
    assert.match(
      String(table.LatestStreamArn),
      /:table\/tables-dev-games\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/,
    );
    assert.equal(table.LatestStreamArn?.split("/stream/")[1], table.LatestStreamLabel);
  });

  test("a write to the deployed table reaches the stream consumer, which writes to the other table under its role", async () => {
    await dynamodb.send(
      new PutItemCommand({
        TableName: GAMES,
        Item: { pk: { S: "game#1" }, sk: { N: "7" }, player: { S: "ada" } },
      }),
    );
    const notes = await eventually(async () => {
      const scan = await dynamodb.send(new ScanCommand({ TableName: NOTES })).catch(() => undefined);
      return (scan?.Items ?? []).length > 0 ? scan?.Items : undefined;
    }, "the noter's note of the insert");
    assert.equal(notes?.[0]?.id?.S, "INSERT#game#1#7");
  });

  test("a deployed function finds its table through discovery and uses it; one linked to no table gets no variable", async () => {
    const invoke = async (name: string) => {
      const result = await lambda.send(
        new InvokeCommand({
          FunctionName: name,
          Payload: Buffer.from(JSON.stringify({ pk: `from-${name}` })),
        }),
      );
      return JSON.parse(Buffer.from(result.Payload ?? new Uint8Array()).toString("utf8")) as Record<
        string,
        unknown
      >;
    };
    const writer = await invoke("tables-dev-writer");
    assert.equal(writer.discoveredName, GAMES);
    assert.match(String(writer.discoveredArn), /:dynamodb:us-east-1:\d{12}:table\/tables-dev-games$/);
    assert.deepEqual(writer.put, { ok: true });
    assert.deepEqual(writer.got, { ok: "42" });
    const stranger = await invoke("tables-dev-stranger");
    assert.equal(stranger.discoveredName, null);
  });

  test("removing a table that holds items says how many and refuses without a terminal unless --yes", async () => {
    const original = readFileSync(config(), "utf8");
    // Drop the notes table, and the consumer whose permission names it.
    const start = original.indexOf("    noter: {");
    const end = original.indexOf("    },\n", start) + "    },\n".length;
    const without = (original.slice(0, start) + original.slice(end)).replace(
      /\n {4}notes: \{ partitionKey: \{ name: "id", type: "S" \} \},/,
      "",
    );
    assert.notEqual(without, original);
    assert.doesNotMatch(without, /notes:|noter/);
    writeFileSync(config(), without);
    const refused = await deploy();
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stdout, /NotesTable {2}AWS::DynamoDB::Table {2}! loses every item in the table/);
    assert.match(
      refused.stderr,
      /NotesTable AWS::DynamoDB::Table \(tables-dev-notes\) .*: about [1-9]\d* item\(s\)/,
    );
    await dynamodb.send(new DescribeTableCommand({ TableName: NOTES })); // still there
    const confirmed = await deploy("--yes");
    assert.equal(confirmed.code, 0, confirmed.stderr);
    await eventually(
      async () =>
        (await dynamodb.send(new DescribeTableCommand({ TableName: NOTES })).then(
          () => undefined,
          (e: Error) => e.name,
        )) === "ResourceNotFoundException"
          ? true
          : undefined,
      "the notes table gone",
    );
    // The games table and its items stay.
    const games = await dynamodb.send(new ScanCommand({ TableName: GAMES }));
    assert.ok((games.Items ?? []).some((item) => item.pk?.S === "game#1"));
  });

  test("no output ever showed a secret", () => {
    for (const text of transcript) {
      assert.ok(!text.includes(SECRET_ACCESS_KEY));
      assert.ok(!text.includes(HEALTH_CHECKER_ID));
    }
  });
});
