import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EC2_EVENT, match, withDetail } from "../support/event-pattern.ts";

// Examples from AWS's "Comparison operators for use in event patterns" and "Creating event
// patterns" pages, each with the events it must match and must not match.

describe("exact values", () => {
  test("matches the documented EC2 termination pattern and nothing that differs in one field", () => {
    const pattern = {
      source: ["aws.ec2"],
      "detail-type": ["EC2 Instance State-change Notification"],
      detail: { state: ["terminated"] },
    };
    assert.equal(match(pattern, EC2_EVENT), true);
    assert.equal(match(pattern, withDetail({ state: "running" })), false);
    assert.equal(match(pattern, { ...EC2_EVENT, source: "aws.fargate" }), false);
    assert.equal(match(pattern, { ...EC2_EVENT, detail: {} }), false);
  });

  test("matches any of several values listed for one field", () => {
    const pattern = { source: ["aws.ec2", "aws.fargate"] };
    assert.equal(match(pattern, EC2_EVENT), true);
    assert.equal(match(pattern, { ...EC2_EVENT, source: "aws.fargate" }), true);
    assert.equal(match(pattern, { ...EC2_EVENT, source: "aws.s3" }), false);
  });

  test("compares strings case-sensitively and never equal to numbers or booleans", () => {
    assert.equal(match({ detail: { state: ["Terminated"] } }, EC2_EVENT), false);
    assert.equal(match({ detail: { n: ["5"] } }, withDetail({ n: 5 })), false);
    assert.equal(match({ detail: { n: [5] } }, withDetail({ n: "5" })), false);
    assert.equal(match({ detail: { b: [true] } }, withDetail({ b: true })), true);
    assert.equal(match({ detail: { b: [true] } }, withDetail({ b: "true" })), false);
    assert.equal(match({ detail: { b: [false] } }, withDetail({ b: true })), false);
  });

  test("compares numbers by value, so 301.8 equals 3.018e2 and 5 equals 5.0", () => {
    assert.equal(match({ detail: { "x-limit": [3.018e2] } }, withDetail({ "x-limit": 301.8 })), true);
    assert.equal(match({ detail: { n: [5] } }, withDetail({ n: 5.0 })), true);
    assert.equal(match({ detail: { n: [5] } }, withDetail({ n: 5.5 })), false);
  });

  test("compares numbers outside ±5e9 by their text, as AWS account ids", () => {
    assert.equal(match({ account: [123456789012] }, { account: 123456789012 }), true);
    assert.equal(match({ account: [123456789012] }, { account: 123456789013 }), false);
  });

  test("matches a field on the top level and nested fields at any depth", () => {
    assert.equal(match({ region: ["us-west-1"] }, EC2_EVENT), true);
    const deep = withDetail({ bucket: { name: "photos", owner: { id: "abc" } } });
    assert.equal(match({ detail: { bucket: { owner: { id: ["abc"] } } } }, deep), true);
    assert.equal(match({ detail: { bucket: { owner: { id: ["xyz"] } } } }, deep), false);
  });

  test("needs the same nesting as the event", () => {
    const event = withDetail({ bucket: { name: "photos" } });
    assert.equal(match({ detail: { name: ["photos"] } }, event), false);
    assert.equal(match({ bucket: { name: ["photos"] } }, event), false);
  });
});

describe("null and empty strings", () => {
  const event = {
    ...EC2_EVENT,
    "detail-type": "EC2 Instance Launch Successful",
    source: "aws.autoscaling",
    resources: [],
    detail: { eventVersion: "", responseElements: null },
  };

  test('matches an empty string with [""]', () => {
    assert.equal(match({ detail: { eventVersion: [""] } }, event), true);
  });

  test("matches null with [null]", () => {
    assert.equal(match({ detail: { responseElements: [null] } }, event), true);
  });

  test("does not treat null and the empty string as interchangeable", () => {
    assert.equal(match({ detail: { responseElements: [""] } }, event), false);
    assert.equal(match({ detail: { eventVersion: [null] } }, event), false);
    assert.equal(match({ detail: { missing: [null] } }, event), false);
  });
});

describe("prefix", () => {
  test("matches the documented time prefix", () => {
    const pattern = { time: [{ prefix: "2017-10-02" }] };
    assert.equal(match(pattern, { ...EC2_EVENT, time: "2017-10-02T18:43:48Z" }), true);
    assert.equal(match(pattern, { ...EC2_EVENT, time: "2017-10-03T18:43:48Z" }), false);
  });

  test("applies to strings only", () => {
    assert.equal(match({ detail: { n: [{ prefix: "12" }] } }, withDetail({ n: 123 })), false);
    assert.equal(match({ detail: { n: [{ prefix: "" }] } }, withDetail({ n: "" })), true);
  });

  test("ignores case with equals-ignore-case", () => {
    const pattern = { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } };
    for (const service of ["EventBridge", "EVENTBRIDGE", "eventbridge", "eventB"]) {
      assert.equal(match(pattern, withDetail({ service })), true, service);
    }
    assert.equal(match(pattern, withDetail({ service: "Event Bridge" })), false);
    assert.equal(
      match({ detail: { service: [{ prefix: "EventB" }] } }, withDetail({ service: "eventbridge" })),
      false,
    );
  });
});

describe("suffix", () => {
  test("matches the documented file extension", () => {
    const pattern = { FileName: [{ suffix: ".png" }] };
    assert.equal(match(pattern, { FileName: "image.png" }), true);
    assert.equal(match(pattern, { FileName: "image.PNG" }), false);
    assert.equal(match(pattern, { FileName: "image.png.txt" }), false);
  });

  test("ignores case with equals-ignore-case", () => {
    const pattern = { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } };
    assert.equal(match(pattern, withDetail({ FileName: "image.PNG" })), true);
    assert.equal(match(pattern, withDetail({ FileName: "image.pNg" })), true);
    assert.equal(match(pattern, withDetail({ FileName: "image.jpg" })), false);
  });
});

describe("equals-ignore-case", () => {
  test("matches any casing of the value", () => {
    const pattern = { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] };
    assert.equal(match(pattern, EC2_EVENT), true);
    assert.equal(
      match({ detail: { name: [{ "equals-ignore-case": "alice" }] } }, withDetail({ name: "ALICE" })),
      true,
    );
    assert.equal(
      match({ detail: { name: [{ "equals-ignore-case": "alice" }] } }, withDetail({ name: "Alicia" })),
      false,
    );
  });
});

describe("anything-but", () => {
  test("matches any value besides one string", () => {
    const pattern = { detail: { state: [{ "anything-but": "initializing" }] } };
    assert.equal(match(pattern, withDetail({ state: "running" })), true);
    assert.equal(match(pattern, withDetail({ state: "initializing" })), false);
  });

  test("matches any value besides one number", () => {
    const pattern = { detail: { "x-limit": [{ "anything-but": 123 }] } };
    assert.equal(match(pattern, withDetail({ "x-limit": 124 })), true);
    assert.equal(match(pattern, withDetail({ "x-limit": 123 })), false);
    assert.equal(match(pattern, withDetail({ "x-limit": 1.23e2 })), false);
  });

  test("matches any value besides a list of strings or of numbers", () => {
    const strings = { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } };
    assert.equal(match(strings, withDetail({ state: "running" })), true);
    assert.equal(match(strings, withDetail({ state: "stopped" })), false);
    assert.equal(match(strings, withDetail({ state: "overloaded" })), false);
    const numbers = { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } };
    assert.equal(match(numbers, withDetail({ "x-limit": 150 })), true);
    assert.equal(match(numbers, withDetail({ "x-limit": 200 })), false);
  });

  test("needs the field to be present", () => {
    assert.equal(match({ detail: { state: [{ "anything-but": "initializing" }] } }, withDetail({})), false);
  });

  test("accepts values of another type than the excluded ones", () => {
    const pattern = { detail: { state: [{ "anything-but": "5" }] } };
    assert.equal(match(pattern, withDetail({ state: 5 })), true);
    assert.equal(match(pattern, withDetail({ state: null })), true);
    assert.equal(match({ detail: { n: [{ "anything-but": 5 }] } }, withDetail({ n: "5" })), true);
  });

  test("excludes a prefix", () => {
    const pattern = { detail: { state: [{ "anything-but": { prefix: "init" } }] } };
    assert.equal(match(pattern, withDetail({ state: "running" })), true);
    assert.equal(match(pattern, withDetail({ state: "initializing" })), false);
    assert.equal(match({ Region: [{ "anything-but": { prefix: "us-" } }] }, { Region: "eu-west-1" }), true);
    assert.equal(match({ Region: [{ "anything-but": { prefix: "us-" } }] }, { Region: "us-east-1" }), false);
  });

  test("excludes a suffix", () => {
    const pattern = { detail: { FileName: [{ "anything-but": { suffix: ".txt" } }] } };
    assert.equal(match(pattern, withDetail({ FileName: "notes.png" })), true);
    assert.equal(match(pattern, withDetail({ FileName: "notes.txt" })), false);
  });

  test("excludes values in any casing", () => {
    const one = { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } };
    assert.equal(match(one, withDetail({ state: "INITIALIZING" })), false);
    assert.equal(match(one, withDetail({ state: "running" })), true);
    const list = {
      detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "OverLoaded"] } }] },
    };
    assert.equal(match(list, withDetail({ state: "STOPPED" })), false);
    assert.equal(match(list, withDetail({ state: "overloaded" })), false);
    assert.equal(match(list, withDetail({ state: "running" })), true);
  });

  test("excludes wildcard matches", () => {
    const one = { detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } };
    assert.equal(match(one, withDetail({ FilePath: "/usr/lib/libc.so" })), false);
    assert.equal(match(one, withDetail({ FilePath: "/usr/bin/ls" })), true);
    const list = { detail: { FilePath: [{ "anything-but": { wildcard: ["*/lib/*", "*/bin/*"] } }] } };
    assert.equal(match(list, withDetail({ FilePath: "/usr/bin/ls" })), false);
    assert.equal(match(list, withDetail({ FilePath: "/etc/hosts" })), true);
  });
});

describe("numeric", () => {
  const pattern = {
    detail: {
      "c-count": [{ numeric: [">", 0, "<=", 5] }],
      "d-count": [{ numeric: ["<", 10] }],
      "x-limit": [{ numeric: ["=", 3.018e2] }],
    },
  };

  test("matches the documented example only when every field is in range", () => {
    assert.equal(match(pattern, withDetail({ "c-count": 5, "d-count": 3, "x-limit": 301.8 })), true);
    assert.equal(match(pattern, withDetail({ "c-count": 0, "d-count": 3, "x-limit": 301.8 })), false);
    assert.equal(match(pattern, withDetail({ "c-count": 6, "d-count": 3, "x-limit": 301.8 })), false);
    assert.equal(match(pattern, withDetail({ "c-count": 5, "d-count": 10, "x-limit": 301.8 })), false);
    assert.equal(match(pattern, withDetail({ "c-count": 5, "d-count": 3, "x-limit": 301.9 })), false);
  });

  test("supports each operator and their combinations", () => {
    const cases: [unknown[], number, boolean][] = [
      [[">", 10], 10, false],
      [[">", 10], 10.000001, true],
      [[">=", 10], 10, true],
      [["<", 10], 10, false],
      [["<", 10], 9.999999, true],
      [["<=", 10], 10, true],
      [["=", 100], 100, true],
      [["=", 100], 1e2, true],
      [[">", 10, "<", 20], 15, true],
      [[">", 10, "<", 20], 20, false],
      [[">", 10, "<=", 20], 20, true],
      [[">=", 10, "<", 20], 10, true],
      [[">=", 10, "<=", 20], 21, false],
      [[">=", -5e9, "<=", 5e9], -5e9, true],
      [["<", 0], -0.5, true],
    ];
    for (const [expr, value, expected] of cases) {
      assert.equal(
        match({ n: [{ numeric: expr }] }, { n: value }),
        expected,
        `${JSON.stringify(expr)} ${value}`,
      );
    }
  });

  test("matches price ranges written as two conditions", () => {
    const price = { Price: [{ numeric: [">", 10, "<=", 20] }] };
    assert.equal(match(price, { Price: 20 }), true);
    assert.equal(match(price, { Price: 10 }), false);
  });

  test("applies to JSON numbers only, not numeric strings", () => {
    assert.equal(match({ n: [{ numeric: [">", 0] }] }, { n: "5" }), false);
    assert.equal(match({ n: [{ numeric: [">", 0] }] }, { n: true }), false);
  });

  test("does not match numbers beyond ±5e9", () => {
    assert.equal(match({ n: [{ numeric: [">", 0] }] }, { n: 6e9 }), false);
  });
});

describe("cidr", () => {
  test("matches IPv4 addresses in the documented /24", () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } };
    assert.equal(match(pattern, withDetail({ sourceIPAddress: "10.0.0.0" })), true);
    assert.equal(match(pattern, withDetail({ sourceIPAddress: "10.0.0.255" })), true);
    assert.equal(match(pattern, withDetail({ sourceIPAddress: "10.0.1.0" })), false);
    assert.equal(match(pattern, withDetail({ sourceIPAddress: "not an ip" })), false);
  });

  test("matches IPv6 addresses, however they are written", () => {
    const pattern = { ip: [{ cidr: "2001:db8::/32" }] };
    assert.equal(match(pattern, { ip: "2001:db8::1" }), true);
    assert.equal(match(pattern, { ip: "2001:0DB8:0000:0000:0000:0000:0000:0001" }), true);
    assert.equal(match(pattern, { ip: "2001:db9::1" }), false);
    assert.equal(match(pattern, { ip: "10.0.0.1" }), false);
  });

  test("compares an IP-address value in a pattern as an address", () => {
    assert.equal(match({ ip: ["2001:db8::1"] }, { ip: "2001:0db8:0:0:0:0:0:1" }), true);
    assert.equal(match({ ip: ["10.0.0.1"] }, { ip: "10.0.0.1" }), true);
    assert.equal(match({ ip: ["10.0.0.1"] }, { ip: "10.0.0.2" }), false);
  });
});

describe("exists", () => {
  test("matches a present field with true and an absent one with false", () => {
    assert.equal(match({ detail: { "c-count": [{ exists: true }] } }, withDetail({ "c-count": 3 })), true);
    assert.equal(match({ detail: { "c-count": [{ exists: true }] } }, withDetail({})), false);
    assert.equal(match({ detail: { "c-count": [{ exists: false }] } }, withDetail({})), true);
    assert.equal(match({ detail: { "c-count": [{ exists: false }] } }, withDetail({ "c-count": 3 })), false);
  });

  test("works on leaf nodes only, so an object value counts as absent", () => {
    const event = withDetail({ state: ["initializing", "running"], "c-count": { c1: 100 } });
    assert.equal(match({ detail: { "c-count": [{ exists: false }] } }, event), true);
    assert.equal(match({ detail: { "c-count": [{ exists: true }] } }, event), false);
  });

  test("treats null as a present value and an empty array as absent", () => {
    assert.equal(match({ detail: { v: [{ exists: true }] } }, withDetail({ v: null })), true);
    assert.equal(match({ detail: { v: [{ exists: false }] } }, withDetail({ v: [] })), true);
    assert.equal(match({ detail: { v: [{ exists: true }] } }, withDetail({ v: [] })), false);
    assert.equal(match({ detail: { v: [{ exists: true }] } }, withDetail({ v: ["a"] })), true);
  });

  test("combines with other values as either-or", () => {
    const pattern = { detail: { v: [{ exists: false }, "yes"] } };
    assert.equal(match(pattern, withDetail({})), true);
    assert.equal(match(pattern, withDetail({ v: "yes" })), true);
    assert.equal(match(pattern, withDetail({ v: "no" })), false);
  });
});

describe("wildcard", () => {
  test("matches the documented event bus ARN pattern", () => {
    const pattern = { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] };
    assert.equal(
      match(pattern, { EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/orders" }),
      true,
    );
    assert.equal(
      match(pattern, { EventBusArn: "arn:aws:events:us-west-2:123456789012:event-bus/orders" }),
      false,
    );
  });

  test("lets * stand for zero or more characters anywhere", () => {
    const cases: [string, string, boolean][] = [
      ["*.png", "image.png", true],
      ["*.png", ".png", true],
      ["*.png", "image.jpg", false],
      ["dir/*.png", "dir/a/b.png", true],
      ["*Title*", "The Title Page", true],
      ["*Title*", "Title", true],
      ["*Title*", "title", false],
      ["a*b*c", "abc", true],
      ["a*b*c", "aXbYc", true],
      ["a*b*c", "acb", false],
      ["a*a", "a", false],
      ["*", "", true],
      ["*", "anything", true],
      ["exact", "exact", true],
      ["exact", "exactly", false],
    ];
    for (const [wildcard, value, expected] of cases) {
      assert.equal(match({ f: [{ wildcard }] }, { f: value }), expected, `${wildcard} ~ ${value}`);
    }
  });

  test("escapes * and \\ with a backslash", () => {
    assert.equal(match({ f: [{ wildcard: "dir/\\*.png" }] }, { f: "dir/*.png" }), true);
    assert.equal(match({ f: [{ wildcard: "dir/\\*.png" }] }, { f: "dir/a.png" }), false);
    assert.equal(match({ f: [{ wildcard: "C:\\\\*" }] }, { f: "C:\\temp" }), true);
  });

  test("applies to strings only", () => {
    assert.equal(match({ f: [{ wildcard: "*" }] }, { f: 5 }), false);
  });
});

describe("combined operators", () => {
  test("matches the documented complex pattern only when every field matches", () => {
    const pattern = {
      time: [{ prefix: "2017-10-02" }],
      detail: {
        state: [{ "anything-but": "initializing" }],
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "d-count": [{ numeric: ["<", 10] }],
        "x-limit": [{ "anything-but": [100, 200, 300] }],
      },
    };
    const detail = { state: "terminating", "c-count": 5, "d-count": 5, "x-limit": 400 };
    const event = { ...EC2_EVENT, time: "2017-10-02T00:00:00Z", detail };
    assert.equal(match(pattern, event), true);
    assert.equal(match(pattern, { ...event, detail: { ...detail, "x-limit": 200 } }), false);
    assert.equal(match(pattern, { ...event, time: "2017-10-03T00:00:00Z" }), false);
  });

  test("matches a .png file within the folder dir with a wildcard and a suffix", () => {
    const pattern = { FilePath: [{ wildcard: "dir/*.png" }] };
    assert.equal(match(pattern, { FilePath: "dir/image.png" }), true);
    assert.equal(match(pattern, { FilePath: "other/image.png" }), false);
  });
});
