/**
 * ExpressionAttributeNames and ExpressionAttributeValues, and reserved words:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RESERVED_WORD_COUNT } from "../../src/local/dynamodb/expressions/reserved-words.ts";
import {
  compileCondition,
  compileProjection,
  compileUpdate,
  isReservedWord,
  Placeholders,
} from "../../src/local/dynamodb/index.ts";
import { holds, N, refuses } from "../support/dynamodb-expressions.ts";

describe("reserved words", () => {
  test("the guide's list: 573 words, case-insensitive", () => {
    assert.equal(RESERVED_WORD_COUNT, 573);
    for (const word of [
      "ABORT",
      "zone",
      "Name",
      "status",
      "Comment",
      "data",
      "TTL",
      "FLATTERN",
      "INNTER",
      "LOGED",
    ]) {
      assert.equal(isReservedWord(word), true, word);
    }
    for (const word of ["Price", "Title", "pk", "sk", "ProductCategory", "Id"]) {
      assert.equal(isReservedWord(word), false, word);
    }
  });

  test("a reserved word is refused bare anywhere in a path, allowed through a placeholder", () => {
    refuses(
      () => holds({}, "info.status = :v", { ":v": N(1) }),
      "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status",
    );
    refuses(
      () => holds({}, "attribute_exists(Year)"),
      "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Year",
    );
    assert.equal(holds({ Year: N(2015) }, "#y = :v", { ":v": N(2015) }, { "#y": "Year" }), true);
  });

  test("function names and keywords are not attribute names", () => {
    assert.equal(holds({ a: N(1) }, "a in (:v) and not attribute_not_exists(a)", { ":v": N(1) }), true);
  });
});

describe("placeholders of a request", () => {
  test("unused names and values are refused across all the request's expressions", () => {
    const request = new Placeholders({
      ExpressionAttributeNames: { "#a": "a", "#b": "b" },
      ExpressionAttributeValues: { ":x": N(1), ":y": N(2) },
    });
    compileCondition("#a = :x", request);
    compileUpdate("SET #b = :y", request);
    request.assertAllUsed();

    const unusedName = new Placeholders({ ExpressionAttributeNames: { "#a": "a", "#c": "c", "#d": "d" } });
    compileProjection("#a", unusedName);
    refuses(
      () => unusedName.assertAllUsed(),
      "Value provided in ExpressionAttributeNames unused in expressions: keys: {#c, #d}",
    );

    const unusedValue = new Placeholders({ ExpressionAttributeValues: { ":x": N(1), ":y": N(2) } });
    compileCondition("a = :x", unusedValue);
    refuses(
      () => unusedValue.assertAllUsed(),
      "Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}",
    );
  });

  test("empty maps and malformed keys are refused", () => {
    refuses(
      () => new Placeholders({ ExpressionAttributeNames: {} }),
      "ExpressionAttributeNames must not be empty",
    );
    refuses(
      () => new Placeholders({ ExpressionAttributeValues: {} }),
      "ExpressionAttributeValues must not be empty",
    );
    refuses(
      () => new Placeholders({ ExpressionAttributeNames: { a: "a" } }),
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    );
    refuses(
      () => new Placeholders({ ExpressionAttributeValues: { x: N(1) } }),
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "x"',
    );
    refuses(
      () => new Placeholders({ ExpressionAttributeNames: { [`#${"n".repeat(255)}`]: "a" } }),
      `ExpressionAttributeNames contains invalid key: Syntax error; key: "#${"n".repeat(255)}"`,
    );
  });

  test("numbers in values must be numbers DynamoDB can store", () => {
    refuses(
      () => new Placeholders({ ExpressionAttributeValues: { ":v": { N: "abc" } } }),
      "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: abc for key :v",
    );
    refuses(
      () =>
        new Placeholders({
          ExpressionAttributeValues: { ":v": { M: { deep: { L: [{ NS: ["1", "x"] }] } } } },
        }),
      "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x for key :v",
    );
    refuses(
      () => new Placeholders({ ExpressionAttributeValues: { ":v": N("1E+126") } }),
      "ExpressionAttributeValues contains invalid value: Number overflow. Attempting to store a number with magnitude larger than supported range for key :v",
    );
  });

  test("an undefined placeholder is refused in the expression that uses it", () => {
    refuses(
      () => compileUpdate("SET a = :nope", new Placeholders()),
      "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope",
    );
    refuses(
      () => compileProjection("#nope", new Placeholders()),
      "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #nope",
    );
  });
});
