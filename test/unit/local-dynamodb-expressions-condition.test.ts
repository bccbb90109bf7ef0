/**
 * Condition and filter expressions, from the developer guide's syntax and examples:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Item } from "../../src/local/dynamodb/index.ts";
import { B, holds, N, refuses, S } from "../support/dynamodb-expressions.ts";

// The guide's ProductCatalog item 456, extended with every type.
const product: Item = {
  Id: N(456),
  ProductCategory: S("Sporting Goods"),
  Price: N(650),
  Title: S("Bicycle 456"),
  Description: S("456 description"),
  Color: { SS: ["Red", "Black"] },
  Sizes: { NS: ["1", "2.5", "10"] },
  Blobs: { BS: [Buffer.from([1, 2]).toString("base64")] },
  Pictures: {
    M: {
      FrontView: S("http://example.com/products/456_front.jpg"),
      SideView: S("http://example.com/products/456_side.jpg"),
    },
  },
  ProductReviews: {
    M: {
      FiveStar: {
        L: [
          S("Excellent! Can't recommend it highly enough! Buy it!"),
          S("Do yourself a favor and buy this."),
        ],
      },
      OneStar: { L: [S("Terrible product! Do not buy this.")] },
    },
  },
  InStock: { BOOL: true },
  QuantityOnHand: { NULL: true },
  Data: B([0x00, 0xff, 0x10]),
  Tags: { L: [S("bike"), N(3), { M: { nested: S("x") } }] },
};

const cases: [
  string,
  Record<string, import("../../src/local/dynamodb/index.ts").AttributeValue> | undefined,
  boolean,
][] = [
  // comparators on numbers (exact decimals)
  ["Price = :p", { ":p": N(650) }, true],
  ["Price = :p", { ":p": N("650.000") }, true],
  ["Price = :p", { ":p": N("6.5E2") }, true],
  ["Price <> :p", { ":p": N(650) }, false],
  ["Price < :p", { ":p": N(651) }, true],
  ["Price <= :p", { ":p": N(650) }, true],
  ["Price > :p", { ":p": N("649.99999999999999999999999999999999") }, true],
  ["Price >= :p", { ":p": N("650.00000000000000000000000000000001") }, false],
  ["Price > :p", { ":p": N(-1000) }, true],
  [":p < Price", { ":p": N(500) }, true],
  // strings order by UTF-8 bytes
  ["Title = :t", { ":t": S("Bicycle 456") }, true],
  ["Title < :t", { ":t": S("Bicycle 457") }, true],
  ["Title > :t", { ":t": S("Bicycle") }, true],
  ["Title < :t", { ":t": S("bicycle") }, true],
  // binaries as unsigned bytes: 0x00 0xff 0x10 > 0x00 0x7f
  ["#d > :b", { ":b": B([0x00, 0x7f]) }, true],
  ["#d < :b", { ":b": B([0x01]) }, true],
  // different types are never equal, never ordered
  ["Price = :p", { ":p": S("650") }, false],
  ["Price <> :p", { ":p": S("650") }, true],
  ["Price < :p", { ":p": S("700") }, false],
  ["Price > :p", { ":p": S("1") }, false],
  // missing attributes: equal to nothing
  ["Absent = :p", { ":p": N(1) }, false],
  ["Absent <> :p", { ":p": N(1) }, true],
  ["Absent < :p", { ":p": N(1) }, false],
  // sets compare as sets, lists and maps deeply
  ["Color = :c", { ":c": { SS: ["Black", "Red"] } }, true],
  ["Color = :c", { ":c": { SS: ["Black"] } }, false],
  ["Sizes = :s", { ":s": { NS: ["10", "1.0", "2.50"] } }, true],
  ["Pictures.FrontView = :u", { ":u": S("http://example.com/products/456_front.jpg") }, true],
  ["ProductReviews.OneStar = :l", { ":l": { L: [S("Terrible product! Do not buy this.")] } }, true],
  ["InStock = :t", { ":t": { BOOL: true } }, true],
  ["InStock = :t", { ":t": { BOOL: false } }, false],
  ["QuantityOnHand = :n", { ":n": { NULL: true } }, true],
  ["Tags[2] = :m", { ":m": { M: { nested: S("x") } } }, true],
  ["Tags[2].nested = :x", { ":x": S("x") }, true],
  ["Tags[1] = :three", { ":three": N(3) }, true],
  ["Tags[9] = :three", { ":three": N(3) }, false],
  ["Tags.nested = :x", { ":x": S("x") }, false],
  // BETWEEN and IN
  ["Price BETWEEN :lo AND :hi", { ":lo": N(500), ":hi": N(700) }, true],
  ["Price BETWEEN :lo AND :hi", { ":lo": N(650), ":hi": N(650) }, true],
  ["Price BETWEEN :lo AND :hi", { ":lo": N(651), ":hi": N(700) }, false],
  ["Title BETWEEN :lo AND :hi", { ":lo": S("A"), ":hi": S("C") }, true],
  ["Price BETWEEN :lo AND :hi", { ":lo": S("A"), ":hi": S("Z") }, false],
  ["Absent BETWEEN :lo AND :hi", { ":lo": N(1), ":hi": N(2) }, false],
  ["ProductCategory IN (:c1, :c2)", { ":c1": S("Sporting Goods"), ":c2": S("Gardening Supplies") }, true],
  ["ProductCategory IN (:c1)", { ":c1": S("Books") }, false],
  ["Price IN (:a, :b)", { ":a": N("650.0"), ":b": N(1) }, true],
  ["Absent IN (:a)", { ":a": N(1) }, false],
  // functions
  ["attribute_exists(Pictures.SideView)", undefined, true],
  ["attribute_exists(Pictures.RearView)", undefined, false],
  ["attribute_not_exists(Manufacturer)", undefined, true],
  ["attribute_not_exists(Price)", undefined, false],
  ["attribute_exists(Tags[0])", undefined, true],
  ["attribute_exists(Tags[3])", undefined, false],
  ["attribute_type(ProductReviews.FiveStar, :v_sub)", { ":v_sub": S("L") }, true],
  ["attribute_type(Price, :t)", { ":t": S("S") }, false],
  ["attribute_type(Color, :t)", { ":t": S("SS") }, true],
  ["attribute_type(QuantityOnHand, :t)", { ":t": S("NULL") }, true],
  ["attribute_type(Absent, :t)", { ":t": S("S") }, false],
  ["begins_with(Pictures.FrontView, :v_sub)", { ":v_sub": S("http://") }, true],
  ["begins_with(Pictures.FrontView, :v_sub)", { ":v_sub": S("https://") }, false],
  ["begins_with(#d, :b)", { ":b": B([0x00, 0xff]) }, true],
  ["begins_with(#d, :b)", { ":b": B([0xff]) }, false],
  ["begins_with(Price, :v)", { ":v": S("6") }, false],
  ["contains(Color, :v_sub)", { ":v_sub": S("Red") }, true],
  ["contains(Color, :v_sub)", { ":v_sub": S("Blue") }, false],
  ["contains(Description, :s)", { ":s": S("desc") }, true],
  ["contains(Sizes, :n)", { ":n": N("2.50") }, true],
  ["contains(Blobs, :b)", { ":b": B([1, 2]) }, true],
  ["contains(Tags, :n)", { ":n": N(3) }, true],
  ["contains(Tags, :s)", { ":s": S("bi") }, false],
  ["contains(Price, :n)", { ":n": N(6) }, false],
  ["size(Description) < :v_sub", { ":v_sub": N(20) }, true],
  ["size(Description) = :n", { ":n": N(15) }, true],
  ["size(Color) = :n", { ":n": N(2) }, true],
  ["size(Pictures) = :n", { ":n": N(2) }, true],
  ["size(Tags) = :n", { ":n": N(3) }, true],
  ["size(#d) = :n", { ":n": N(3) }, true],
  ["size(Price) = :n", { ":n": N(3) }, false],
  ["size(Absent) = :n", { ":n": N(0) }, false],
  ["size(Description) BETWEEN :a AND :b", { ":a": N(1), ":b": N(100) }, true],
  // logic, precedence and parentheses: NOT binds tighter than AND, AND tighter than OR
  ["Price > :p AND InStock = :t", { ":p": N(1), ":t": { BOOL: true } }, true],
  ["Price > :p AND InStock = :t", { ":p": N(1000), ":t": { BOOL: true } }, false],
  ["Price > :p OR InStock = :t", { ":p": N(1000), ":t": { BOOL: true } }, true],
  ["NOT Price > :p", { ":p": N(1000) }, true],
  ["NOT (Price > :p)", { ":p": N(1) }, false],
  ["NOT NOT Price > :p", { ":p": N(1) }, true],
  ["Price > :big OR Price > :small AND Price < :small", { ":big": N(1000), ":small": N(1) }, false],
  ["(Price > :big OR Price > :small) AND Price < :small", { ":big": N(1000), ":small": N(1) }, false],
  ["Price > :small OR Price > :big AND Price < :small", { ":big": N(1000), ":small": N(1) }, true],
  [
    "NOT attribute_exists(Absent) AND (contains(Color, :r) OR Price = :z)",
    { ":r": S("Red"), ":z": N(0) },
    true,
  ],
  ["not attribute_exists(Absent) and Price = :p or Price = :z", { ":p": N(650), ":z": N(0) }, true],
  ["(Price = :p)", { ":p": N(650) }, true],
  ["((Price = :p) AND (Id = :i))", { ":p": N(650), ":i": N(456) }, true],
  ["contains(#d, :b)", { ":b": B([0xff, 0x10]) }, true],
  ["contains(#d, :b)", { ":b": B([0x10, 0xff]) }, false],
  ["(Price) = :p", { ":p": N(650) }, true],
  ["  Price\n=\t:p  ", { ":p": N(650) }, true],
];

describe("condition expressions evaluate as DynamoDB does", () => {
  for (const [expression, values, expected] of cases) {
    test(`${expression} → ${expected}`, () => {
      assert.equal(
        holds(product, expression, values, expression.includes("#d") ? { "#d": "Data" } : undefined),
        expected,
      );
    });
  }

  test("a missing item is the empty item: attribute_not_exists holds", () => {
    assert.equal(holds({}, "attribute_not_exists(Id)"), true);
    assert.equal(holds({}, "attribute_exists(Id)"), false);
  });

  test("names with dots and reserved words go through ExpressionAttributeNames", () => {
    const item: Item = { "a.b": S("dotted"), a: { M: { b: S("nested") } }, Size: N(3) };
    assert.equal(holds(item, "#ab = :v", { ":v": S("dotted") }, { "#ab": "a.b" }), true);
    assert.equal(holds(item, "#a.#b = :v", { ":v": S("nested") }, { "#a": "a", "#b": "b" }), true);
    assert.equal(holds(item, "#s = :v", { ":v": N(3) }, { "#s": "Size" }), true);
  });

  test("numbers compare exactly beyond double precision", () => {
    const item: Item = { n: N("12345678901234567890123456789012345678") };
    assert.equal(holds(item, "n > :v", { ":v": N("12345678901234567890123456789012345677") }), true);
    assert.equal(holds(item, "n = :v", { ":v": N("1.2345678901234567890123456789012345678E37") }), true);
    assert.equal(holds({ n: N("1E-130") }, "n > :z", { ":z": N(0) }), true);
    assert.equal(holds({ n: N("-1E-130") }, "n < :z", { ":z": N(0) }), true);
  });

  test("strings order by UTF-8 bytes, not UTF-16 code units", () => {
    // U+FF61 (EF BD A1 in UTF-8) sorts before U+1F600 (F0 9F 98 80) in UTF-8 but after it in UTF-16.
    const item: Item = { s: S("\uFF61") };
    assert.equal(holds(item, "s < :v", { ":v": S("\u{1F600}") }), true);
  });
});

describe("condition expressions are refused with AWS's messages", () => {
  const refusals: [
    string,
    Record<string, import("../../src/local/dynamodb/index.ts").AttributeValue> | undefined,
    Record<string, string> | undefined,
    string,
  ][] = [
    ["", undefined, undefined, "Invalid ConditionExpression: The expression can not be empty;"],
    ["   ", undefined, undefined, "Invalid ConditionExpression: The expression can not be empty;"],
    ["a = ", undefined, undefined, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="'],
    [
      "a = :v)",
      { ":v": N(1) },
      undefined,
      'Invalid ConditionExpression: Syntax error; token: ")", near: ":v)"',
    ],
    // As DynamoDB Local answers a call to a function the grammar does not have.
    [
      "expiresAt > now()",
      undefined,
      undefined,
      'Invalid ConditionExpression: Syntax error; token: ")", near: "()"',
    ],
    [
      "a == :v",
      { ":v": N(1) },
      undefined,
      'Invalid ConditionExpression: Syntax error; token: "=", near: "== :v"',
    ],
    [
      "a = :v AND",
      { ":v": N(1) },
      undefined,
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"',
    ],
    ["a IN ()", undefined, undefined, 'Invalid ConditionExpression: Syntax error; token: ")", near: "()"'],
    [
      "a BETWEEN :x",
      { ":x": N(1) },
      undefined,
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":x"',
    ],
    [
      "((a = :v))",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: The expression has redundant parentheses;",
    ],
    [
      "NOT ((a = :v))",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: The expression has redundant parentheses;",
    ],
    [
      "((a)) = :v",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: The expression has redundant parentheses;",
    ],
    [
      "Size = :v AND nope(a)",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: Invalid function name; function: nope",
    ],
    [
      "#x = :v AND Size = :w",
      undefined,
      undefined,
      "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size",
    ],
    [
      "Size = :v",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size",
    ],
    [
      "a.name = :v",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
    ],
    [
      "#x = :v",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
    ],
    [
      "a = :nope",
      undefined,
      undefined,
      "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope",
    ],
    [
      "frobnicate(a)",
      undefined,
      undefined,
      "Invalid ConditionExpression: Invalid function name; function: frobnicate",
    ],
    [
      "size(a)",
      undefined,
      undefined,
      "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size",
    ],
    [
      "attribute_exists(a) = :v",
      { ":v": { BOOL: true } },
      undefined,
      "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists",
    ],
    [
      "attribute_exists(a, b)",
      undefined,
      undefined,
      "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2",
    ],
    [
      "contains(a)",
      undefined,
      undefined,
      "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1",
    ],
    [
      "size(a, b) = :v",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: size, number of operands: 2",
    ],
    [
      "attribute_exists(:v)",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists",
    ],
    [
      "attribute_type(a, :t)",
      { ":t": S("STRING") },
      undefined,
      "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
    ],
    [
      "attribute_type(a, :t)",
      { ":t": N(1) },
      undefined,
      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
    ],
    [
      "begins_with(a, :v)",
      { ":v": N(1) },
      undefined,
      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
    ],
    [
      "size(:v) = :n",
      { ":v": N(1), ":n": N(1) },
      undefined,
      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N",
    ],
    [
      "a = a",
      undefined,
      undefined,
      "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]",
    ],
    [
      "a BETWEEN :lo AND :hi",
      { ":lo": N(1), ":hi": S("2") },
      undefined,
      "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:2}",
    ],
    [
      "a BETWEEN :lo AND :hi",
      { ":lo": N(2), ":hi": N(1) },
      undefined,
      "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}",
    ],
  ];
  for (const [expression, values, names, message] of refusals) {
    test(`refuses ${JSON.stringify(expression)}`, () => {
      refuses(() => holds({}, expression, values, names), message);
    });
  }

  test("IN takes at most 100 operands", () => {
    const values = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`:v${i}`, N(i)]));
    const list = Object.keys(values);
    assert.equal(
      holds(
        { a: N(99) },
        `a IN (${list.slice(0, 100).join(", ")})`,
        Object.fromEntries(Object.entries(values).slice(0, 100)),
      ),
      true,
    );
    refuses(
      () => holds({}, `a IN (${list.join(", ")})`, values),
      "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101",
    );
  });

  test("an expression longer than 4 KB is refused", () => {
    const fits = `${"a".repeat(4091)} = :v`;
    assert.equal(fits.length, 4096);
    assert.equal(holds({}, fits, { ":v": N(1) }), false);
    refuses(
      () => holds({}, `a${fits}`, { ":v": N(1) }),
      "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097",
    );
  });

  test("a document path deeper than 32 levels is refused", () => {
    const path = Array.from({ length: 34 }, (_, i) => `p${i}`).join(".");
    refuses(
      () => holds({}, `attribute_exists(${path})`),
      "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33",
    );
    assert.equal(
      holds({}, `attribute_exists(${Array.from({ length: 33 }, (_, i) => `p${i}`).join(".")})`),
      false,
    );
  });

  test("FilterExpression names itself in its messages", async () => {
    const { Placeholders, compileCondition } = await import("../../src/local/dynamodb/index.ts");
    refuses(
      () => compileCondition("a =", new Placeholders(), "FilterExpression"),
      'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "="',
    );
  });
});
