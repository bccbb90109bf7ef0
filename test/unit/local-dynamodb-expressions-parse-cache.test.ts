/**
 * Parsed expression trees are kept by text (expressions/parse.ts) and a condition tree that passed
 * its shape checks is not checked again (condition.ts): what each request gets must still be its
 * own placeholders, its own refusals and its own start rule.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compileCondition, type KeySchema, Placeholders } from "../../src/local/dynamodb/index.ts";
import { holds, keyCondition, N, project, refuses, S, update } from "../support/dynamodb-expressions.ts";

const schema: KeySchema = { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "N" } };

describe("expression trees reused between requests", () => {
  test("the same key condition text takes each request's own values", () => {
    const first = keyCondition("pk = :pk AND sk > :from", schema, { ":pk": S("a"), ":from": N(1) });
    const second = keyCondition("pk = :pk AND sk > :from", schema, { ":pk": S("b"), ":from": N(7) });
    assert.deepEqual(first.partitionKey.value, S("a"));
    assert.deepEqual(second.partitionKey.value, S("b"));
    assert.deepEqual(second.sortKey?.condition, { op: ">", value: N(7) });
    assert.equal(first.matches({ pk: S("a"), sk: N(2) }), true);
    assert.equal(second.matches({ pk: S("b"), sk: N(2) }), false);
  });

  test("a reused tree is resolved against the request that uses it", () => {
    assert.equal(holds({ n: N(3) }, "n = :v", { ":v": N(3) }), true);
    refuses(
      () => holds({ n: N(3) }, "n = :v", { ":w": N(3) }),
      "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v",
    );
  });

  test("a refused expression is refused every time, worded for the expression that asks", () => {
    const filter = () =>
      compileCondition(
        "status = :v",
        new Placeholders({ ExpressionAttributeValues: { ":v": S("x") } }),
        "FilterExpression",
      );
    for (let i = 0; i < 2; i++) {
      refuses(
        filter,
        "Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: status",
      );
      refuses(
        () => holds({}, "status = :v", { ":v": S("x") }),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status",
      );
      refuses(
        () => holds({}, "a = = :v", { ":v": S("x") }),
        'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"',
      );
    }
  });

  test("the same text parses by the rule of the expression it is", () => {
    assert.deepEqual(project({ a: N(1), b: N(2) }, "a"), { a: N(1) });
    refuses(
      () => holds({ a: N(1) }, "a"),
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"',
    );
    assert.deepEqual(project({ a: N(1), b: N(2) }, "a"), { a: N(1) });
  });

  test("an update reused on several items changes each item, not the tree", () => {
    const expression = "SET l[1] = :v, c = c + :one";
    const item = () => ({ l: { L: [N(0), N(0)] }, c: N(1) });
    assert.deepEqual(update(item(), expression, { ":v": S("x"), ":one": N(1) }), {
      l: { L: [N(0), S("x")] },
      c: N(2),
    });
    assert.deepEqual(update(item(), expression, { ":v": S("y"), ":one": N(1) }), {
      l: { L: [N(0), S("y")] },
      c: N(2),
    });
  });
});
