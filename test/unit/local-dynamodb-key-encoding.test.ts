/**
 * Key encodings sort as DynamoDB orders key values: numbers by value, strings by UTF-8 bytes,
 * binaries as unsigned bytes (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  encodeKey,
  encodeNumber,
  partitionHash,
  segmentRange,
} from "../../src/local/dynamodb/key-encoding.ts";

describe("key encoding", () => {
  test("numbers sort by value across signs, exponents and digit counts", () => {
    const ordered = [
      "-9.9999999999999999999999999999999999999E+125",
      "-1000",
      "-125",
      "-12",
      "-1.5",
      "-1.2",
      "-1",
      "-0.001",
      "-1E-130",
      "0",
      "1E-130",
      "0.001",
      "1",
      "1.5",
      "12",
      "125",
      "1000",
      "9.9999999999999999999999999999999999999E+125",
    ];
    const shuffled = [...ordered].reverse();
    const sorted = shuffled.sort((a, b) => Buffer.compare(encodeNumber(a), encodeNumber(b)));
    assert.deepEqual(sorted, ordered);
  });

  test("equal numbers encode alike", () => {
    assert.deepEqual(encodeNumber("1"), encodeNumber("1.000"));
    assert.deepEqual(encodeNumber("100"), encodeNumber("1E2"));
    assert.deepEqual(encodeNumber("-0"), encodeNumber("0"));
  });

  test("strings sort by UTF-8 bytes, not UTF-16 code units", () => {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 ...), though its UTF-16 unit is larger.
    const a = encodeKey({ S: "\uff5e" }, "S");
    const b = encodeKey({ S: "\u{1f600}" }, "S");
    assert.ok(Buffer.compare(a, b) < 0);
    assert.ok("\uff5e" > "\u{1f600}", "JavaScript's own order is the other way");
  });

  test("binaries sort as unsigned bytes", () => {
    const low = encodeKey({ B: Buffer.from([0x7f]).toString("base64") }, "B");
    const high = encodeKey({ B: Buffer.from([0x80]).toString("base64") }, "B");
    assert.ok(Buffer.compare(low, high) < 0);
  });

  test("segments split the hash space without gaps or overlaps", () => {
    const ranges = [0, 1, 2].map((segment) => segmentRange(segment, 3));
    assert.equal(ranges[0]?.[0], 0);
    assert.equal(ranges[2]?.[1], 2 ** 32);
    assert.equal(ranges[0]?.[1], ranges[1]?.[0]);
    assert.equal(ranges[1]?.[1], ranges[2]?.[0]);
    const hash = partitionHash(Buffer.from("abc"));
    assert.ok(hash >= 0 && hash < 2 ** 32);
    assert.equal(hash, partitionHash(Buffer.from("abc")), "stable");
  });
});
