/**
 * The PartiQL grammar (DynamoDB's subset): the committed parser is what `npm run grammar` makes of
 * grammar.peggy, and statements parse into the trees the translator reads, as the developer
 * guide's statement pages write them
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.statements.html).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { generatedPartiqlParserSource, PARTIQL_GENERATED_FILE } from "../../scripts/generate-grammar.ts";
import { parseStatement } from "../../src/local/dynamodb/partiql/index.ts";
import { AwsError } from "../../src/model/errors.ts";

const path = (...names: (string | number)[]) =>
  names.map((step) =>
    typeof step === "number" ? { kind: "index", index: step } : { kind: "name", name: step },
  );
const attr = (name: string) => ({ type: "path", path: path(name) });
const str = (value: string) => ({ type: "value", value: { kind: "string", value } });
const num = (text: string) => ({ type: "value", value: { kind: "number", text } });

describe("the PartiQL grammar", () => {
  test("the committed parser is up to date with grammar.peggy (run `npm run grammar`)", () => {
    assert.equal(readFileSync(PARTIQL_GENERATED_FILE, "utf8"), generatedPartiqlParserSource());
  });

  const cases: [string, string, Record<string, unknown>][] = [
    [
      "SELECT * with a quoted table and an index",
      `SELECT * FROM "Orders"."byCustomer"`,
      { type: "select", projection: "*", table: "Orders", index: "byCustomer", orderBy: [] },
    ],
    [
      "a projection list of document paths, an unquoted table, keywords in any case",
      `select OrderID, m.k, l[1], "odd name" from Orders where OrderID = 1`,
      {
        type: "select",
        projection: [path("OrderID"), path("m", "k"), path("l", 1), path("odd name")],
        table: "Orders",
        where: { type: "compare", op: "=", left: attr("OrderID"), right: num("1") },
        orderBy: [],
      },
    ],
    [
      "AND binds tighter than OR; NOT, BETWEEN, IN, IS MISSING and functions",
      `SELECT * FROM t WHERE a = 'x' OR NOT b BETWEEN 1 AND 2 AND c IN [1, 2] AND d IS NOT MISSING AND begins_with(e, 'p')`,
      {
        type: "select",
        projection: "*",
        table: "t",
        where: {
          type: "or",
          left: { type: "compare", op: "=", left: attr("a"), right: str("x") },
          right: {
            type: "and",
            left: {
              type: "and",
              left: {
                type: "and",
                left: {
                  type: "not",
                  condition: { type: "between", subject: attr("b"), low: num("1"), high: num("2") },
                },
                right: { type: "in", subject: attr("c"), list: [num("1"), num("2")] },
              },
              right: { type: "is", subject: attr("d"), negated: true, what: "MISSING" },
            },
            right: {
              type: "call",
              call: { type: "function", name: "begins_with", args: [attr("e"), str("p")] },
            },
          },
        },
        orderBy: [],
      },
    ],
    [
      "ORDER BY a key descending",
      `SELECT * FROM "t" WHERE pk = ? ORDER BY sk DESC`,
      {
        type: "select",
        projection: "*",
        table: "t",
        where: {
          type: "compare",
          op: "=",
          left: attr("pk"),
          right: { type: "value", value: { kind: "parameter", offset: 29 } },
        },
        orderBy: [{ path: path("sk"), descending: true }],
      },
    ],
    [
      "INSERT with a tuple of every data type",
      `INSERT INTO "t" VALUE {'pk': 'a', 'n': -1.5e3, 'b': TRUE, 'z': NULL, 's': <<'x', 'y'>>, 'l': [1, 'two'], 'm': {'k': ?}}`,
      {
        type: "insert",
        table: "t",
        item: {
          kind: "tuple",
          offset: 22,
          entries: [
            { key: { kind: "string", value: "pk", offset: 23 }, value: { kind: "string", value: "a" } },
            { key: { kind: "string", value: "n", offset: 34 }, value: { kind: "number", text: "-1.5e3" } },
            { key: { kind: "string", value: "b", offset: 47 }, value: { kind: "boolean", value: true } },
            { key: { kind: "string", value: "z", offset: 58 }, value: { kind: "null" } },
            {
              key: { kind: "string", value: "s", offset: 69 },
              value: {
                kind: "bag",
                offset: 74,
                items: [
                  { kind: "string", value: "x" },
                  { kind: "string", value: "y" },
                ],
              },
            },
            {
              key: { kind: "string", value: "l", offset: 88 },
              value: {
                kind: "list",
                items: [
                  { kind: "number", text: "1" },
                  { kind: "string", value: "two" },
                ],
              },
            },
            {
              key: { kind: "string", value: "m", offset: 105 },
              value: {
                kind: "tuple",
                offset: 110,
                entries: [
                  {
                    key: { kind: "string", value: "k", offset: 111 },
                    value: { kind: "parameter", offset: 116 },
                  },
                ],
              },
            },
          ],
        },
      },
    ],
    [
      "UPDATE with several SET and REMOVE clauses and RETURNING",
      `UPDATE "t" SET a = a + 1, b = 'x' SET c = list_append(c, [1]) REMOVE d WHERE pk = 'k' RETURNING MODIFIED NEW *`,
      {
        type: "update",
        table: "t",
        clauses: [
          {
            kind: "set",
            path: path("a"),
            value: { type: "arithmetic", op: "+", left: attr("a"), right: num("1") },
          },
          { kind: "set", path: path("b"), value: str("x") },
          {
            kind: "set",
            path: path("c"),
            value: {
              type: "function",
              name: "list_append",
              args: [
                attr("c"),
                { type: "value", value: { kind: "list", items: [{ kind: "number", text: "1" }] } },
              ],
            },
          },
          { kind: "remove", path: path("d") },
        ],
        where: { type: "compare", op: "=", left: attr("pk"), right: str("k") },
        returning: { which: "MODIFIED", image: "NEW" },
      },
    ],
    [
      "DELETE with RETURNING ALL OLD *, and '' inside a string",
      `DELETE FROM "t" WHERE pk = 'it''s' RETURNING ALL OLD *`,
      {
        type: "delete",
        table: "t",
        where: { type: "compare", op: "=", left: attr("pk"), right: str("it's") },
        returning: { which: "ALL", image: "OLD" },
      },
    ],
  ];
  for (const [name, statement, tree] of cases) {
    test(`parses ${name}`, () => {
      assert.deepEqual(JSON.parse(JSON.stringify(parseStatement(statement))), tree);
    });
  }

  for (const statement of [
    "SELEC * FROM t",
    `SELECT * FROM "t" WHERE`,
    `INSERT INTO "t" VALUES {'pk': 'a'}`,
    `UPDATE "t" SET a = 1`,
    `DELETE FROM "t"`,
    "",
  ]) {
    test(`refuses ${JSON.stringify(statement)} with DynamoDB's message`, () => {
      assert.throws(
        () => parseStatement(statement),
        (error: unknown) =>
          error instanceof AwsError &&
          error.code === "ValidationException" &&
          error.message === `Statement wasn't well formed, can't be processed: ${statement}`,
      );
    });
  }
});
