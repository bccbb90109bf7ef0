/**
 * Query and Scan: key conditions as range scans, order, Limit and pagination, the 1 MB page
 * counted before the filter, Select, projections of indexes, and parallel Scan segments.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dynamoDbRig, type Json, N, S, tableInput } from "../support/dynamodb-rig.ts";

function scores() {
  const rig = dynamoDbRig();
  rig.call(
    "CreateTable",
    tableInput("scores", "N", {
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "N" },
        { AttributeName: "player", AttributeType: "S" },
        { AttributeName: "points", AttributeType: "N" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "byPlayer",
          KeySchema: [
            { AttributeName: "player", KeyType: "HASH" },
            { AttributeName: "points", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["note"] },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: "byPoints",
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "points", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
    }),
  );
  return rig;
}

const query = (extra: Record<string, unknown>) => ({
  TableName: "scores",
  KeyConditionExpression: "pk = :p",
  ExpressionAttributeValues: { ":p": S("game") },
  ...extra,
});

describe("Query", () => {
  test("returns a partition's items in sort-key order by number value, forward and backward", () => {
    const rig = scores();
    for (const sk of ["10", "-5", "2.5", "100", "9"])
      rig.call("PutItem", { TableName: "scores", Item: { pk: S("game"), sk: N(sk) } });
    rig.call("PutItem", { TableName: "scores", Item: { pk: S("other"), sk: N(1) } });
    const forward = rig.call("Query", query({}));
    assert.deepEqual(
      forward.Items.map((item: Json) => item.sk.N),
      ["-5", "2.5", "9", "10", "100"],
    );
    assert.equal(forward.Count, 5);
    assert.equal(forward.ScannedCount, 5);
    assert.equal(forward.LastEvaluatedKey, undefined);
    const backward = rig.call("Query", query({ ScanIndexForward: false }));
    assert.deepEqual(
      backward.Items.map((item: Json) => item.sk.N),
      ["100", "10", "9", "2.5", "-5"],
    );
  });

  const conditions: [string, Record<string, unknown>, string[]][] = [
    ["=", { ":s": N(9) }, ["9"]],
    ["<", { ":s": N(9) }, ["-5", "2.5"]],
    ["<=", { ":s": N(9) }, ["-5", "2.5", "9"]],
    [">", { ":s": N(9) }, ["10", "100"]],
    [">=", { ":s": N(10) }, ["10", "100"]],
    ["BETWEEN", { ":s": N(0), ":t": N(10) }, ["2.5", "9", "10"]],
  ];
  for (const [op, values, expected] of conditions) {
    test(`narrows the sort key with ${op}`, () => {
      const rig = scores();
      for (const sk of ["10", "-5", "2.5", "100", "9"])
        rig.call("PutItem", { TableName: "scores", Item: { pk: S("game"), sk: N(sk) } });
      const expression = op === "BETWEEN" ? "pk = :p AND sk BETWEEN :s AND :t" : `pk = :p AND sk ${op} :s`;
      const out = rig.call(
        "Query",
        query({
          KeyConditionExpression: expression,
          ExpressionAttributeValues: { ":p": S("game"), ...values },
        }),
      );
      assert.deepEqual(
        out.Items.map((item: Json) => item.sk.N),
        expected,
      );
    });
  }

  test("begins_with on a string sort key, including bytes beyond ASCII", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("names", "S"));
    for (const sk of ["ab", "abc", "ab\u00ff", "ac", "a", "b"])
      rig.call("PutItem", { TableName: "names", Item: { pk: S("p"), sk: S(sk) } });
    const out = rig.call("Query", {
      TableName: "names",
      KeyConditionExpression: "pk = :p AND begins_with(sk, :b)",
      ExpressionAttributeValues: { ":p": S("p"), ":b": S("ab") },
    });
    assert.deepEqual(
      out.Items.map((item: Json) => item.sk.S),
      ["ab", "abc", "ab\u00ff"],
    );
  });

  test("refuses a BETWEEN whose bounds are reversed", () => {
    const rig = scores();
    rig.fails(
      "Query",
      query({
        KeyConditionExpression: "pk = :p AND sk BETWEEN :s AND :t",
        ExpressionAttributeValues: { ":p": S("game"), ":s": N(5), ":t": N(1) },
      }),
      "ValidationException",
      "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}",
    );
  });

  test("pages with Limit and ExclusiveStartKey; Limit counts items before the filter", () => {
    const rig = scores();
    for (let sk = 1; sk <= 5; sk++)
      rig.call("PutItem", {
        TableName: "scores",
        Item: { pk: S("game"), sk: N(sk), even: { BOOL: sk % 2 === 0 } },
      });
    const first = rig.call("Query", query({ Limit: 2 }));
    assert.deepEqual(first.LastEvaluatedKey, { pk: S("game"), sk: N(2) });
    const second = rig.call("Query", query({ Limit: 2, ExclusiveStartKey: first.LastEvaluatedKey }));
    assert.deepEqual(
      second.Items.map((item: Json) => item.sk.N),
      ["3", "4"],
    );
    const last = rig.call("Query", query({ Limit: 2, ExclusiveStartKey: second.LastEvaluatedKey }));
    assert.deepEqual(
      last.Items.map((item: Json) => item.sk.N),
      ["5"],
    );
    assert.equal(last.LastEvaluatedKey, undefined);
    const filtered = rig.call(
      "Query",
      query({
        Limit: 3,
        FilterExpression: "even = :t",
        ExpressionAttributeValues: { ":p": S("game"), ":t": { BOOL: true } },
      }),
    );
    assert.deepEqual(
      filtered.Items.map((item: Json) => item.sk.N),
      ["2"],
    );
    assert.equal(filtered.ScannedCount, 3);
    assert.equal(filtered.Count, 1);
    assert.deepEqual(filtered.LastEvaluatedKey, { pk: S("game"), sk: N(3) });
  });

  test("answers LastEvaluatedKey when Limit is reached even if nothing follows", () => {
    const rig = scores();
    for (let sk = 1; sk <= 2; sk++)
      rig.call("PutItem", { TableName: "scores", Item: { pk: S("game"), sk: N(sk) } });
    assert.deepEqual(rig.call("Query", query({ Limit: 2 })).LastEvaluatedKey, { pk: S("game"), sk: N(2) });
  });

  test("stops a page at 1 MB of items read, before the filter", () => {
    const rig = scores();
    const big = "x".repeat(300_000);
    for (let sk = 1; sk <= 5; sk++)
      rig.call("PutItem", { TableName: "scores", Item: { pk: S("game"), sk: N(sk), big: S(big) } });
    const out = rig.call("Query", query({ FilterExpression: "attribute_not_exists(big)" }));
    assert.equal(out.Count, 0);
    assert.equal(out.ScannedCount, 4, "the fourth item takes the page past 1 MB");
    assert.deepEqual(out.LastEvaluatedKey, { pk: S("game"), sk: N(4) });
    const rest = rig.call("Query", query({ ExclusiveStartKey: out.LastEvaluatedKey }));
    assert.equal(rest.ScannedCount, 1);
  });

  test("Select COUNT answers counts only; refuses COUNT with a projection and ALL_PROJECTED_ATTRIBUTES on a table", () => {
    const rig = scores();
    rig.call("PutItem", { TableName: "scores", Item: { pk: S("game"), sk: N(1) } });
    assert.deepEqual(rig.call("Query", query({ Select: "COUNT" })), { Count: 1, ScannedCount: 1 });
    rig.fails(
      "Query",
      query({ Select: "COUNT", ProjectionExpression: "pk" }),
      "ValidationException",
      "Cannot specify the ProjectionExpression when choosing to get only the Count",
    );
    rig.fails(
      "Query",
      query({ Select: "ALL_PROJECTED_ATTRIBUTES" }),
      "ValidationException",
      "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
    );
    rig.fails(
      "Query",
      query({ Limit: 0 }),
      "ValidationException",
      /Member must have value greater than or equal to 1/,
    );
  });

  test("refuses a filter on a key attribute, a missing key condition, and values without expressions", () => {
    const rig = scores();
    rig.fails(
      "Query",
      query({ FilterExpression: "sk > :s", ExpressionAttributeValues: { ":p": S("game"), ":s": N(1) } }),
      "ValidationException",
      "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
    );
    rig.fails(
      "Query",
      { TableName: "scores" },
      "ValidationException",
      "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
    );
    rig.fails(
      "Query",
      { TableName: "scores", ExpressionAttributeValues: { ":p": S("a") } },
      "ValidationException",
      "ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null",
    );
    rig.fails(
      "Scan",
      { TableName: "scores", ExpressionAttributeValues: { ":p": S("a") } },
      "ValidationException",
      "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
    );
  });

  test("refuses a start key outside the query and one that does not match the schema", () => {
    const rig = scores();
    rig.fails(
      "Query",
      query({ ExclusiveStartKey: { pk: S("other"), sk: N(1) } }),
      "ValidationException",
      "The provided starting key is outside query boundaries based on provided conditions",
    );
    rig.fails(
      "Query",
      query({ ExclusiveStartKey: { pk: S("game") } }),
      "ValidationException",
      "Exclusive Start Key must have same size as table's key schema",
    );
  });

  test("queries a global index with its projection; refuses ALL_ATTRIBUTES and consistent reads on it", () => {
    const rig = scores();
    rig.call("PutItem", {
      TableName: "scores",
      Item: { pk: S("g1"), sk: N(1), player: S("ann"), points: N(30), note: S("n"), secret: S("s") },
    });
    rig.call("PutItem", {
      TableName: "scores",
      Item: { pk: S("g2"), sk: N(1), player: S("ann"), points: N(10) },
    });
    rig.call("PutItem", {
      TableName: "scores",
      Item: { pk: S("g3"), sk: N(1), player: S("bob"), points: N(20) },
    });
    rig.call("PutItem", { TableName: "scores", Item: { pk: S("g4"), sk: N(1), player: S("ann") } });
    const byPlayer = {
      TableName: "scores",
      IndexName: "byPlayer",
      KeyConditionExpression: "player = :p",
      ExpressionAttributeValues: { ":p": S("ann") },
    };
    const out = rig.call("Query", byPlayer);
    assert.deepEqual(
      out.Items,
      [
        { pk: S("g2"), sk: N(1), player: S("ann"), points: N(10) },
        { pk: S("g1"), sk: N(1), player: S("ann"), points: N(30), note: S("n") },
      ],
      "sorted by points, projected (no 'secret'), sparse (g4 has no points)",
    );
    const page = rig.call("Query", { ...byPlayer, Limit: 1 });
    assert.deepEqual(page.LastEvaluatedKey, { pk: S("g2"), sk: N(1), player: S("ann"), points: N(10) });
    const next = rig.call("Query", { ...byPlayer, ExclusiveStartKey: page.LastEvaluatedKey });
    assert.deepEqual(
      next.Items.map((item: Json) => item.pk.S),
      ["g1"],
    );
    rig.fails(
      "Query",
      { ...byPlayer, Select: "ALL_ATTRIBUTES" },
      "ValidationException",
      "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byPlayer because its projection type is not ALL",
    );
    rig.fails(
      "Query",
      { ...byPlayer, ConsistentRead: true },
      "ValidationException",
      "Consistent reads are not supported on global secondary indexes",
    );
    rig.fails(
      "Query",
      { ...byPlayer, IndexName: "nope" },
      "ValidationException",
      "The table does not have the specified index: nope",
    );
  });

  test("a local index fetches attributes it does not project", () => {
    const rig = scores();
    rig.call("PutItem", {
      TableName: "scores",
      Item: { pk: S("game"), sk: N(1), points: N(5), note: S("n") },
    });
    const byPoints = {
      TableName: "scores",
      IndexName: "byPoints",
      KeyConditionExpression: "pk = :p AND points > :z",
      ExpressionAttributeValues: { ":p": S("game"), ":z": N(0) },
    };
    assert.deepEqual(rig.call("Query", byPoints).Items, [{ pk: S("game"), sk: N(1), points: N(5) }]);
    assert.deepEqual(rig.call("Query", { ...byPoints, Select: "ALL_ATTRIBUTES" }).Items, [
      { pk: S("game"), sk: N(1), points: N(5), note: S("n") },
    ]);
  });
});

describe("Scan", () => {
  test("reads every item once, across pages", () => {
    const rig = scores();
    for (let i = 0; i < 30; i++)
      rig.call("PutItem", { TableName: "scores", Item: { pk: S(`p${i}`), sk: N(i % 3) } });
    const seen: string[] = [];
    let start: unknown;
    let pages = 0;
    do {
      const page = rig.call("Scan", {
        TableName: "scores",
        Limit: 7,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      });
      seen.push(...page.Items.map((item: Json) => `${item.pk.S}/${item.sk.N}`));
      start = page.LastEvaluatedKey;
      pages += 1;
    } while (start !== undefined);
    assert.equal(seen.length, 30);
    assert.equal(new Set(seen).size, 30);
    assert.equal(pages, 5);
  });

  test("parallel segments partition the table by partition key", () => {
    const rig = scores();
    for (let i = 0; i < 40; i++)
      rig.call("PutItem", { TableName: "scores", Item: { pk: S(`p${i % 20}`), sk: N(i) } });
    const segments = [0, 1, 2, 3].map((segment) =>
      rig
        .call("Scan", { TableName: "scores", Segment: segment, TotalSegments: 4 })
        .Items.map((item: Json) => item.pk.S as string),
    );
    const all = segments.flat();
    assert.equal(all.length, 40);
    for (const [i, segment] of segments.entries()) {
      for (const other of segments.slice(i + 1))
        assert.ok(!segment.some((pk: string) => other.includes(pk)), "a partition key lives in one segment");
    }
  });

  test("filters, projects and scans an index", () => {
    const rig = scores();
    rig.call("PutItem", {
      TableName: "scores",
      Item: { pk: S("a"), sk: N(1), player: S("ann"), points: N(3), note: S("x") },
    });
    rig.call("PutItem", { TableName: "scores", Item: { pk: S("b"), sk: N(1) } });
    const filtered = rig.call("Scan", {
      TableName: "scores",
      FilterExpression: "attribute_exists(player)",
      ProjectionExpression: "pk, note",
    });
    assert.deepEqual(filtered.Items, [{ pk: S("a"), note: S("x") }]);
    assert.equal(filtered.ScannedCount, 2);
    assert.equal(rig.call("Scan", { TableName: "scores", IndexName: "byPlayer" }).Count, 1);
  });

  const invalid: [Record<string, unknown>, string][] = [
    [{ Segment: 1 }, "If segment is specified, total segment must also be specified"],
    [
      { TotalSegments: 2 },
      "If total segments is specified, a particular segment must also be specified for this request",
    ],
    [
      { Segment: 3, TotalSegments: 2 },
      "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 2",
    ],
  ];
  for (const [input, message] of invalid) {
    test(`refuses ${JSON.stringify(input)}`, () => {
      scores().fails("Scan", { TableName: "scores", ...input }, "ValidationException", message);
    });
  }

  test("consumed capacity counts the bytes read, before the filter", () => {
    const rig = scores();
    for (let i = 0; i < 3; i++)
      rig.call("PutItem", {
        TableName: "scores",
        Item: { pk: S(`p${i}`), sk: N(1), v: S("x".repeat(3000)) },
      });
    const out = rig.call("Scan", {
      TableName: "scores",
      FilterExpression: "attribute_not_exists(v)",
      ReturnConsumedCapacity: "TOTAL",
    });
    assert.deepEqual(
      out.ConsumedCapacity,
      { TableName: "scores", CapacityUnits: 1.5 },
      "9 KB read eventually consistent: 3 units halved",
    );
  });
});
