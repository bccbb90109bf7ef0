/**
 * Update expressions, from the developer guide's examples and rules:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Item } from "../../src/local/dynamodb/index.ts";
import { N, refuses, S, update } from "../support/dynamodb-expressions.ts";

const product: Item = {
  Id: N(789),
  ProductCategory: S("Home Improvement"),
  Price: N(52),
  InStock: { BOOL: true },
  Brand: S("Acme"),
  QuantityOnHand: N(10),
  Color: { SS: ["Red", "Black"] },
  RelatedItems: { L: [S("Hammer"), S("Nails"), S("Screwdriver"), S("Saw")] },
  ProductReviews: {
    M: {
      FiveStar: { L: [S("Best product ever!")] },
      OneStar: { L: [S("Broken on arrival")] },
    },
  },
};

describe("SET", () => {
  test("adds and replaces top-level attributes", () => {
    const after = update(product, "SET ProductCategory = :c, Price = :p, Added = :a", {
      ":c": S("Hardware"),
      ":p": N(60),
      ":a": { M: {} },
    });
    assert.deepEqual(after.ProductCategory, S("Hardware"));
    assert.deepEqual(after.Price, N(60));
    assert.deepEqual(after.Added, { M: {} });
    assert.deepEqual(product.Price, N(52), "the input item is left as it was");
  });

  test("replaces a list element and a nested map key", () => {
    const after = update(
      product,
      "SET RelatedItems[1] = :ri, #pr.#5star[0] = :r5, #pr.ThreeStar = :r3",
      { ":ri": S("Pliers"), ":r5": S("Very happy"), ":r3": { L: [S("Just OK")] } },
      { "#pr": "ProductReviews", "#5star": "FiveStar" },
    );
    assert.deepEqual(after.RelatedItems, { L: [S("Hammer"), S("Pliers"), S("Screwdriver"), S("Saw")] });
    assert.deepEqual(after.ProductReviews, {
      M: {
        FiveStar: { L: [S("Very happy")] },
        OneStar: { L: [S("Broken on arrival")] },
        ThreeStar: { L: [S("Just OK")] },
      },
    });
  });

  test("an index past the end of a list appends", () => {
    const after = update(product, "SET RelatedItems[10] = :x", { ":x": S("Drill") });
    assert.deepEqual((after.RelatedItems as { L: unknown[] }).L.at(-1), S("Drill"));
    assert.equal((after.RelatedItems as { L: unknown[] }).L.length, 5);
  });

  test("arithmetic is exact decimal, left to right", () => {
    assert.deepEqual(update(product, "SET Price = Price - :p", { ":p": N(15) }).Price, N(37));
    assert.deepEqual(update(product, "SET Price = Price + :p", { ":p": N("0.1") }).Price, N("52.1"));
    assert.deepEqual(update({ x: N("0.1") }, "SET x = x + :p", { ":p": N("0.2") }).x, N("0.3"));
    assert.deepEqual(update({}, "SET x = :a + :b - :c", { ":a": N(1), ":b": N(2), ":c": N(10) }).x, N(-7));
    assert.deepEqual(
      update({ x: N("99999999999999999999999999999999999999") }, "SET x = x - :one", { ":one": N(1) }).x,
      N("99999999999999999999999999999999999998"),
    );
    assert.deepEqual(update({ x: N("1E+2") }, "SET x = x + :z", { ":z": N("0.00") }).x, N("100"));
  });

  test("list_append concatenates in either order", () => {
    const end = update(
      product,
      "SET #ri = list_append(#ri, :vals)",
      { ":vals": { L: [S("Chisel")] } },
      { "#ri": "RelatedItems" },
    );
    assert.deepEqual((end.RelatedItems as { L: unknown[] }).L.at(-1), S("Chisel"));
    const start = update(
      product,
      "SET #ri = list_append(:vals, #ri)",
      { ":vals": { L: [S("Chisel")] } },
      { "#ri": "RelatedItems" },
    );
    assert.deepEqual((start.RelatedItems as { L: unknown[] }).L[0], S("Chisel"));
  });

  test("if_not_exists keeps an existing value and supplies a missing one", () => {
    assert.deepEqual(update(product, "SET Price = if_not_exists(Price, :p)", { ":p": N(100) }).Price, N(52));
    assert.deepEqual(update({}, "SET Price = if_not_exists(Price, :p)", { ":p": N(100) }).Price, N(100));
    assert.deepEqual(
      update({}, "SET n = if_not_exists(n, :zero) + :one", { ":zero": N(0), ":one": N(1) }).n,
      N(1),
    );
    assert.deepEqual(
      update({}, "SET l = list_append(if_not_exists(l, :empty), :v)", {
        ":empty": { L: [] },
        ":v": { L: [N(1)] },
      }).l,
      { L: [N(1)] },
    );
  });

  test("attribute names such as __proto__ are data: results have no prototype", async () => {
    const { Placeholders, compileUpdate } = await import("../../src/local/dynamodb/index.ts");
    const compiled = compileUpdate(
      "SET #p = :v, m.#p = :v",
      new Placeholders({
        ExpressionAttributeNames: { "#p": "__proto__" },
        ExpressionAttributeValues: { ":v": N(1) },
      }),
    );
    const after = compiled.apply({ m: { M: {} } });
    assert.equal(Object.getPrototypeOf(after), null);
    assert.deepEqual(Object.getOwnPropertyDescriptor(after, "__proto__")?.value, N(1));
    const m = after.m as { M: object };
    assert.deepEqual(Object.getOwnPropertyDescriptor(m.M, "__proto__")?.value, N(1));
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });

  test("every value is computed from the item before the update", () => {
    const after = update({ a: N(1), b: N(2) }, "SET a = b, b = a");
    assert.deepEqual(after, { a: N(2), b: N(1) });
  });
});

describe("REMOVE", () => {
  test("removes attributes, missing ones silently", () => {
    const after = update(product, "REMOVE Brand, InStock, QuantityOnHand, NotThere");
    assert.equal("Brand" in after, false);
    assert.equal("InStock" in after, false);
    assert.equal("QuantityOnHand" in after, false);
  });

  test("removes list elements by their index before the update", () => {
    const after = update(product, "REMOVE RelatedItems[1], RelatedItems[2]");
    assert.deepEqual(after.RelatedItems, { L: [S("Hammer"), S("Saw")] });
    const reversed = update(product, "REMOVE RelatedItems[2], RelatedItems[1]");
    assert.deepEqual(reversed.RelatedItems, { L: [S("Hammer"), S("Saw")] });
    assert.deepEqual(update(product, "REMOVE RelatedItems[9]").RelatedItems, product.RelatedItems);
  });

  test("removes a nested map key", () => {
    const after = update(product, "REMOVE ProductReviews.OneStar");
    assert.deepEqual(after.ProductReviews, { M: { FiveStar: { L: [S("Best product ever!")] } } });
  });
});

describe("ADD and DELETE", () => {
  test("ADD adds to a number, or starts it at the value", () => {
    assert.deepEqual(update(product, "ADD QuantityOnHand :q", { ":q": N(5) }).QuantityOnHand, N(15));
    assert.deepEqual(update(product, "ADD QuantityOnHand :q", { ":q": N(-15) }).QuantityOnHand, N(-5));
    assert.deepEqual(update({}, "ADD QuantityOnHand :q", { ":q": N("5.0") }).QuantityOnHand, N(5));
  });

  test("ADD unions sets, and creates them", () => {
    const after = update(product, "ADD Color :c", { ":c": { SS: ["Orange", "Purple", "Red"] } });
    assert.deepEqual(after.Color, { SS: ["Red", "Black", "Orange", "Purple"] });
    assert.deepEqual(update({}, "ADD Tags :t", { ":t": { NS: ["1", "2"] } }).Tags, { NS: ["1", "2"] });
    assert.deepEqual(update({ n: { NS: ["1"] } }, "ADD n :t", { ":t": { NS: ["1.0", "2"] } }).n, {
      NS: ["1", "2"],
    });
  });

  test("DELETE removes set members, and the attribute with its last member", () => {
    assert.deepEqual(update(product, "DELETE Color :p", { ":p": { SS: ["Red", "Yellow"] } }).Color, {
      SS: ["Black"],
    });
    assert.equal("Color" in update(product, "DELETE Color :p", { ":p": { SS: ["Red", "Black"] } }), false);
    assert.deepEqual(update({}, "DELETE Color :p", { ":p": { SS: ["Red"] } }), {});
  });

  test("all four clauses in one expression, in any order, case-insensitive", () => {
    const after = update(product, "remove Brand add QuantityOnHand :q SET Price = :p DELETE Color :c", {
      ":q": N(1),
      ":p": N(1),
      ":c": { SS: ["Red"] },
    });
    assert.deepEqual(after.QuantityOnHand, N(11));
    assert.deepEqual(after.Price, N(1));
    assert.deepEqual(after.Color, { SS: ["Black"] });
    assert.equal("Brand" in after, false);
  });
});

describe("update expressions are refused with AWS's messages", () => {
  const refusals: [
    string,
    Record<string, import("../../src/local/dynamodb/index.ts").AttributeValue> | undefined,
    string,
  ][] = [
    [
      "SET a = :v SET b = :v",
      { ":v": N(1) },
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
    ],
    [
      "REMOVE a REMOVE b",
      undefined,
      'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;',
    ],
    [
      "SET a = :v, a = :v",
      { ":v": N(1) },
      "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
    ],
    [
      "SET a = :v REMOVE a.b",
      { ":v": N(1) },
      "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
    ],
    [
      "SET a.b = :v REMOVE a[0]",
      { ":v": N(1) },
      "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]",
    ],
    [
      "SET a = :v",
      { ":v": N(1), ":w": N(2) },
      "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}",
    ],
    [
      "ADD a :v",
      { ":v": S("x") },
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
    ],
    [
      "ADD a :v",
      { ":v": { L: [] } },
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST",
    ],
    [
      "DELETE a :v",
      { ":v": N(1) },
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER",
    ],
    [
      "SET a = :v + :w",
      { ":v": N(1), ":w": S("x") },
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S",
    ],
    [
      "SET a = list_append(a, :v)",
      { ":v": S("x") },
      "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S",
    ],
    [
      "SET a = size(b)",
      undefined,
      "Invalid UpdateExpression: The function is not allowed in a update expression; function: size",
    ],
    ["SET a = nope(b)", undefined, "Invalid UpdateExpression: Invalid function name; function: nope"],
    [
      "SET a = if_not_exists(:v, :v)",
      { ":v": N(1) },
      "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists",
    ],
    [
      "SET a = list_append(a)",
      undefined,
      "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1",
    ],
    [
      "SET Size = :v",
      { ":v": N(1) },
      "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Size",
    ],
    [
      "SET #a = :v",
      { ":v": N(1) },
      "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #a",
    ],
    ["SET a :v", { ":v": N(1) }, 'Invalid UpdateExpression: Syntax error; token: ":v", near: "a :v"'],
    [
      "UPSERT a = :v",
      { ":v": N(1) },
      'Invalid UpdateExpression: Syntax error; token: "UPSERT", near: "UPSERT a"',
    ],
    ["ADD a", undefined, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"'],
  ];
  for (const [expression, values, message] of refusals) {
    test(`refuses ${JSON.stringify(expression)}`, () => {
      refuses(() => update({}, expression, values), message);
    });
  }

  test("function names are case-sensitive", () => {
    refuses(
      () => update({}, "SET a = IF_NOT_EXISTS(a, :v)", { ":v": N(1) }),
      "Invalid UpdateExpression: Invalid function name; function: IF_NOT_EXISTS",
    );
  });

  test("reports reserved words first, then unknown functions, then repeated clauses", () => {
    refuses(
      () => update({}, "SET a = nope(b) SET Size = :v", { ":v": N(1) }),
      "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Size",
    );
    refuses(
      () => update({}, "SET a = :v SET b = nope(c)", { ":v": N(1) }),
      "Invalid UpdateExpression: Invalid function name; function: nope",
    );
  });

  test("a key attribute cannot be updated", () => {
    refuses(
      () => update({}, "SET pk = :v", { ":v": S("x") }, undefined, ["pk", "sk"]),
      "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
    );
    refuses(
      () => update({}, "REMOVE sk", undefined, undefined, ["pk", "sk"]),
      "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key",
    );
  });

  test("at most 300 operators", () => {
    const values = { ":v": N(1) };
    const sum = (count: number) => `SET a = :v${" + :v".repeat(count)}`;
    assert.deepEqual(update({}, sum(300), values).a, N(301));
    refuses(
      () => update({}, sum(301), values),
      "Invalid UpdateExpression: The expression contains too many operators; operator count: 301",
    );
  });

  test("refuses, while applying, operands the item does not have or of the wrong type", () => {
    refuses(
      () => update({}, "SET a = b", undefined),
      "The provided expression refers to an attribute that does not exist in the item",
    );
    refuses(
      () => update({ a: S("x") }, "SET a = a + :one", { ":one": N(1) }),
      "An operand in the update expression has an incorrect data type",
    );
    refuses(
      () => update({ a: S("x") }, "ADD a :one", { ":one": N(1) }),
      "An operand in the update expression has an incorrect data type",
    );
    refuses(
      () => update({ a: { NS: ["1"] } }, "ADD a :s", { ":s": { SS: ["x"] } }),
      "An operand in the update expression has an incorrect data type",
    );
    refuses(
      () => update({ a: { SS: ["x"] } }, "DELETE a :s", { ":s": { NS: ["1"] } }),
      "An operand in the update expression has an incorrect data type",
    );
    refuses(
      () => update({ a: N(1) }, "SET a = list_append(a, :l)", { ":l": { L: [] } }),
      "An operand in the update expression has an incorrect data type",
    );
    refuses(
      () => update({}, "SET a.b = :v", { ":v": N(1) }),
      "The document path provided in the update expression is invalid for update",
    );
    refuses(
      () => update({ a: N(1) }, "SET a[0] = :v", { ":v": N(1) }),
      "The document path provided in the update expression is invalid for update",
    );
  });

  test("refuses numbers DynamoDB cannot store", () => {
    refuses(
      () =>
        update({ a: N("9.9999999999999999999999999999999999999E+125") }, "SET a = a + :v", {
          ":v": N("1E+125"),
        }),
      "Number overflow. Attempting to store a number with magnitude larger than supported range",
    );
    refuses(
      () => update({ a: N("1.5E-130") }, "SET a = a - :v", { ":v": N("1E-130") }),
      "Number underflow. Attempting to store a number with magnitude smaller than supported range",
    );
    refuses(
      () => update({ a: N("1E+37") }, "SET a = a + :v", { ":v": N("0.1") }),
      "Attempting to store more than 38 significant digits in a Number",
    );
  });
});
