/**
 * The committed parser is what `npm run grammar` generates from grammar.peggy today; and the
 * grammar's precedence (OR < AND < NOT < comparison) as the developer guide states it:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Precedence
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { GENERATED_FILE, generatedParserSource } from "../../scripts/generate-grammar.ts";
import { parseConditionTree, syntaxErrorDetail } from "../../src/local/dynamodb/expressions/parse.ts";

describe("the expression grammar", () => {
  test("the committed parser is up to date with grammar.peggy (run `npm run grammar`)", () => {
    assert.equal(readFileSync(GENERATED_FILE, "utf8"), generatedParserSource());
  });

  test("AND binds tighter than OR, NOT tighter than AND", () => {
    const tree = parseConditionTree("ConditionExpression", "NOT a = :a AND b = :b OR c = :c");
    assert.equal(tree.type, "or");
    assert.ok(tree.type === "or" && tree.left.type === "and");
    assert.ok(tree.type === "or" && tree.left.type === "and" && tree.left.left.type === "not");
  });

  test("keywords are case-insensitive and need a boundary", () => {
    assert.equal(parseConditionTree("ConditionExpression", "a = :a and b = :b").type, "and");
    // `ANDROID` is a name, not AND followed by ROID.
    const tree = parseConditionTree("ConditionExpression", "ANDROID = :a");
    assert.equal(tree.type, "compare");
  });

  test("syntax errors name the failing token and the text before it, as AWS does", () => {
    assert.equal(syntaxErrorDetail("a = ()", 5), 'Syntax error; token: ")", near: "()"');
    assert.equal(syntaxErrorDetail("a =", 3), 'Syntax error; token: "<EOF>", near: "="');
    assert.equal(syntaxErrorDetail("a <> <> b", 5), 'Syntax error; token: "<>", near: "<> <> b"');
  });
});
