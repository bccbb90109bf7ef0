/**
 * DynamoDB numbers: decimal, up to 38 significant digits, magnitudes 1E-130 to 9.99…E+125.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  addDecimal,
  checkStorable,
  compareDecimal,
  formatDecimal,
  parseDecimal,
  subtractDecimal,
} from "../../src/local/dynamodb/index.ts";
import { refuses } from "../support/dynamodb-expressions.ts";

const d = (text: string) => {
  const value = parseDecimal(text);
  assert.ok(value, `parses ${text}`);
  return value;
};

describe("exact decimals", () => {
  const canonical: [string, string][] = [
    ["0", "0"],
    ["-0", "0"],
    ["0.000", "0"],
    ["1", "1"],
    ["+1", "1"],
    ["1.50", "1.5"],
    ["-1.50", "-1.5"],
    [".5", "0.5"],
    ["5.", "5"],
    ["1e2", "100"],
    ["1E+2", "100"],
    ["1.5E-3", "0.0015"],
    ["-12.345e1", "-123.45"],
    ["007", "7"],
    ["1E-130", `0.${"0".repeat(129)}1`],
    ["12345678901234567890123456789012345678", "12345678901234567890123456789012345678"],
  ];
  for (const [text, expected] of canonical) {
    test(`${text} is ${expected}`, () => assert.equal(formatDecimal(d(text)), expected));
  }

  test("refuses what is not a number", () => {
    for (const text of ["", "abc", "1..2", "e5", "1e", "--1", "0x10", "NaN", "Infinity", "1 2"]) {
      assert.equal(parseDecimal(text), undefined, text);
    }
  });

  test("adds and subtracts without rounding", () => {
    assert.equal(formatDecimal(addDecimal(d("0.1"), d("0.2"))), "0.3");
    assert.equal(formatDecimal(subtractDecimal(d("1"), d("0.9"))), "0.1");
    assert.equal(formatDecimal(addDecimal(d("9007199254740993"), d("1"))), "9007199254740994");
    assert.equal(
      formatDecimal(addDecimal(d("1E+20"), d("1E-20"))),
      "100000000000000000000.00000000000000000001",
    );
    assert.equal(formatDecimal(subtractDecimal(d("5"), d("5.0"))), "0");
  });

  test("compares by value", () => {
    assert.equal(compareDecimal(d("1.0"), d("1")), 0);
    assert.equal(compareDecimal(d("-2"), d("1")), -1);
    assert.equal(compareDecimal(d("1E+125"), d("9.9999999999999999999999999999999999999E+124")), 1);
    assert.equal(compareDecimal(d("-1E-130"), d("0")), -1);
    assert.equal(compareDecimal(d("0.30000000000000004"), d("0.3")), 1);
  });

  test("accepts the documented range and precision and refuses beyond", () => {
    checkStorable(d("9.9999999999999999999999999999999999999E+125"));
    checkStorable(d("-9.9999999999999999999999999999999999999E+125"));
    checkStorable(d("1E-130"));
    checkStorable(d("0"));
    checkStorable(d("12345678901234567890123456789012345678"));
    checkStorable(d("1000000000000000000000000000000000000000000"));
    refuses(
      () => checkStorable(d("1E+126")),
      "Number overflow. Attempting to store a number with magnitude larger than supported range",
    );
    refuses(
      () => checkStorable(d("-1E+126")),
      "Number overflow. Attempting to store a number with magnitude larger than supported range",
    );
    refuses(
      () => checkStorable(d("1E-131")),
      "Number underflow. Attempting to store a number with magnitude smaller than supported range",
    );
    refuses(
      () => checkStorable(d("123456789012345678901234567890123456789")),
      "Attempting to store more than 38 significant digits in a Number",
    );
  });
});
