import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { functionGrants, functionPolicy } from "../../src/model/iam/function-grants.ts";
import { policyAllows } from "../../src/model/iam/match.ts";
import { permissionWarnings } from "../../src/model/iam/permission-warnings.ts";
import { discoveryVariable, tableArn, tableIndexArn, tableStreamArn } from "../../src/model/naming.ts";
import { type NormaliseOptions, normaliseApp } from "../../src/model/normalise.ts";
import { linkedResources, resourceVariables } from "../../src/model/resource-variables.ts";
import { resourcesOf } from "../../src/runtime/resources.ts";

const definition = {
  name: "scores",
  queues: { "failed-batches": {} },
  tables: {
    games: { partitionKey: { name: "pk", type: "S" }, stream: "NEW_AND_OLD_IMAGES" },
    players: { partitionKey: { name: "id", type: "S" } },
  },
  functions: {
    rollup: {
      handler: "src/rollup.handler",
      consumes: { table: "games", startingPosition: "LATEST", onFailure: "failed-batches" },
    },
    writer: {
      handler: "src/writer.handler",
      permissions: [{ actions: ["dynamodb:PutItem", "dynamodb:Query"], resources: ["table:games"] }],
    },
    reader: {
      handler: "src/reader.handler",
      permissions: [{ actions: ["dynamodb:GetRecords", "dynamodb:GetItem"], resources: ["table:players"] }],
    },
    admin: {
      handler: "src/admin.handler",
      permissions: [{ actions: ["dynamodb:*"], resources: ["table:players"] }],
    },
    stranger: { handler: "src/stranger.handler" },
  },
};

const spec = (options?: NormaliseOptions) => normaliseApp(definition, options);
const fn = (name: string, options?: NormaliseOptions) => {
  const app = spec(options);
  const found = app.functions[name];
  assert.ok(found);
  return { app, fn: found };
};
const GAMES = "arn:aws:dynamodb:us-east-1:000000000000:table/scores-games";
const PLAYERS = "arn:aws:dynamodb:us-east-1:000000000000:table/scores-players";
const STREAM = `${GAMES}/stream/2026-12-06T05:00:00.000`;

describe("table ARNs", () => {
  test("tables, indexes and streams are named in the region's partition", () => {
    const app = spec();
    assert.equal(tableArn(app, "games"), GAMES);
    assert.equal(tableIndexArn(app, "games", "byPlayer"), `${GAMES}/index/byPlayer`);
    assert.equal(tableStreamArn(app, "games", "*"), `${GAMES}/stream/*`);
    const china = spec({ region: "cn-north-1", stage: "prod" });
    assert.equal(
      tableArn(china, "games"),
      "arn:aws-cn:dynamodb:cn-north-1:000000000000:table/scores-prod-games",
    );
  });

  test("an unknown table throws, naming the known ones", () => {
    assert.throws(() => tableArn(spec(), "gmaes"), /no table named "gmaes".*"games", "players"/);
  });
});

describe("what a table's consumer and its permitted functions may do", () => {
  test("a stream consumer reads its table's streams, and Lambda sends discarded batches to the on-failure queue", () => {
    const { app, fn: rollup } = fn("rollup");
    const grants = functionGrants(app, rollup);
    assert.deepEqual(
      grants.find((g) => g.sid === "ConsumeTableStream"),
      {
        sid: "ConsumeTableStream",
        actions: [
          "dynamodb:DescribeStream",
          "dynamodb:GetRecords",
          "dynamodb:GetShardIterator",
          "dynamodb:ListStreams",
        ],
        resources: [{ kind: "tableStream", name: "games" }],
      },
    );
    assert.deepEqual(grants.find((g) => g.sid === "StreamOnFailureQueue")?.byLambda, true);
    const policy = functionPolicy(app, rollup);
    assert.deepEqual(policy.Statement.find((s) => s.Sid === "ConsumeTableStream")?.Resource, [
      `${GAMES}/stream/*`,
    ]);
    for (const action of ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"]) {
      assert.ok(policyAllows(policy, action, STREAM), action);
    }
    assert.ok(!policyAllows(policy, "dynamodb:GetRecords", `${PLAYERS}/stream/x`));
    assert.ok(!policyAllows(policy, "dynamodb:PutItem", GAMES), "consuming grants no writes");
    assert.ok(
      policyAllows(policy, "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:scores-failed-batches"),
    );
  });

  test("table:<name> covers the table and its indexes, not other tables, and no stream without a stream action", () => {
    const { app, fn: writer } = fn("writer");
    const policy = functionPolicy(app, writer);
    assert.deepEqual(policy.Statement.find((s) => s.Sid === "Declared1")?.Resource, [
      GAMES,
      `${GAMES}/index/*`,
    ]);
    assert.ok(policyAllows(policy, "dynamodb:PutItem", GAMES));
    assert.ok(policyAllows(policy, "dynamodb:Query", `${GAMES}/index/byPlayer`));
    assert.ok(!policyAllows(policy, "dynamodb:PutItem", PLAYERS));
    assert.ok(!policyAllows(policy, "dynamodb:DeleteItem", GAMES));
  });

  test("table:<name> covers the table's streams when the statement has a stream action, wildcards included", () => {
    for (const name of ["reader", "admin"]) {
      const { app, fn: found } = fn(name);
      const policy = functionPolicy(app, found);
      assert.deepEqual(
        policy.Statement.find((s) => s.Sid === "Declared1")?.Resource,
        [PLAYERS, `${PLAYERS}/index/*`, `${PLAYERS}/stream/*`],
        name,
      );
      assert.ok(
        policyAllows(policy, "dynamodb:GetRecords", `${PLAYERS}/stream/2026-12-06T05:00:00.000`),
        name,
      );
    }
  });

  test("a stage's policy names the stage's tables", () => {
    const { app, fn: writer } = fn("writer", { stage: "prod" });
    assert.ok(
      policyAllows(
        functionPolicy(app, writer),
        "dynamodb:PutItem",
        "arn:aws:dynamodb:us-east-1:000000000000:table/scores-prod-games",
      ),
    );
  });

  test("ListTables needs Resource *, so naming * for it draws no warning", () => {
    const app = normaliseApp({
      ...definition,
      functions: {
        lister: {
          handler: "src/l.handler",
          permissions: [{ actions: ["dynamodb:ListTables"], resources: ["*"] }],
        },
        broad: {
          handler: "src/b.handler",
          permissions: [{ actions: ["dynamodb:GetItem"], resources: ["*"] }],
        },
      },
    });
    assert.deepEqual(
      permissionWarnings(app).map((w) => w.path),
      ["functions.broad.permissions[0].resources[0]"],
    );
  });
});

describe("discovery of tables", () => {
  test("a function is linked to the table it consumes and the tables its permissions name, not to the failure queue", () => {
    const app = spec();
    const linked = (name: string) => {
      const found = app.functions[name];
      assert.ok(found);
      return linkedResources(app, found);
    };
    assert.deepEqual(linked("rollup"), { queues: [], functions: [], tables: ["games"] });
    assert.deepEqual(linked("writer").tables, ["games"]);
    assert.deepEqual(linked("reader").tables, ["players"]);
    assert.equal(linked("stranger").tables, undefined);
  });

  test("SLUICE_TABLE_<NAME>_NAME and _ARN carry the physical name and ARN", () => {
    const { app, fn: writer } = fn("writer", { stage: "dev" });
    assert.deepEqual(
      resourceVariables(app, writer, () => "unused"),
      {
        SLUICE_TABLE_GAMES_NAME: "scores-dev-games",
        SLUICE_TABLE_GAMES_ARN: "arn:aws:dynamodb:us-east-1:000000000000:table/scores-dev-games",
      },
    );
  });

  test("resources.tableName and tableArn read the variables the model names, and say how to link a table", () => {
    for (const name of ["games", "recent-best", "Mixed_Case"]) {
      const env = {
        [discoveryVariable("TABLE_NAME", name)]: `name-${name}`,
        [discoveryVariable("TABLE_ARN", name)]: `arn-${name}`,
      };
      assert.equal(resourcesOf(env).tableName(name), `name-${name}`);
      assert.equal(resourcesOf(env).tableArn(name), `arn-${name}`);
    }
    assert.throws(
      () => resourcesOf({ AWS_LAMBDA_FUNCTION_NAME: "scores-stranger" }).tableName("games"),
      /scores-stranger is not linked to the table "games" \(SLUICE_TABLE_GAMES_NAME is not set\).*resources: \["table:games"\]/s,
    );
  });
});
