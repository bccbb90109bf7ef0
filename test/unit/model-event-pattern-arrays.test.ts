import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EC2_EVENT, match, withDetail } from "../support/event-pattern.ts";

describe("arrays in events", () => {
  test("matches when the pattern's values and the event's array intersect (documented resources example)", () => {
    const pattern = {
      resources: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
      ],
    };
    const matching = {
      resources: [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
      ],
    };
    const other = {
      resources: [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560e",
      ],
    };
    assert.equal(match(pattern, matching), true);
    assert.equal(match(pattern, other), false);
  });

  test("applies every operator to each element of an array", () => {
    const event = withDetail({ tags: ["env:prod", "team:core"], sizes: [3, 30] });
    assert.equal(match({ detail: { tags: [{ prefix: "team:" }] } }, event), true);
    assert.equal(match({ detail: { tags: [{ prefix: "owner:" }] } }, event), false);
    assert.equal(match({ detail: { sizes: [{ numeric: [">", 10] }] } }, event), true);
    assert.equal(match({ detail: { sizes: [{ numeric: [">", 100] }] } }, event), false);
  });

  test("matches anything-but when any element is not excluded", () => {
    assert.equal(
      match({ detail: { s: [{ "anything-but": ["stopped"] }] } }, withDetail({ s: ["stopped", "running"] })),
      true,
    );
    assert.equal(
      match({ detail: { s: [{ "anything-but": ["stopped"] }] } }, withDetail({ s: ["stopped"] })),
      false,
    );
  });

  test("reads fields of objects inside arrays as if the array were not there", () => {
    const event = {
      employees: [
        { firstName: "John", lastName: "Doe" },
        { firstName: "Anna", lastName: "Smith" },
        { firstName: "Peter", lastName: "Jones" },
      ],
    };
    assert.equal(match({ employees: { firstName: ["Anna"] } }, event), true);
    assert.equal(match({ employees: { firstName: ["Mary"] } }, event), false);
  });

  test("crushes nested arrays too", () => {
    const event = {
      employees: [
        [
          { firstName: "John", lastName: "Doe" },
          { firstName: "Anna", lastName: "Smith" },
        ],
        [{ firstName: "Peter", lastName: "Jones" }],
      ],
    };
    assert.equal(match({ employees: { firstName: ["Peter"] } }, event), true);
  });

  test("never combines fields from different elements of the same array", () => {
    const event = {
      employees: [
        { firstName: "John", lastName: "Doe" },
        { firstName: "Anna", lastName: "Smith" },
        { firstName: "Peter", lastName: "Jones" },
      ],
    };
    assert.equal(match({ employees: { firstName: ["Anna"], lastName: ["Jones"] } }, event), false);
    assert.equal(match({ employees: { firstName: ["Anna"], lastName: ["Smith"] } }, event), true);
  });

  test("combines fields from different arrays freely", () => {
    const event = { a: [{ x: 1 }, { x: 2 }], b: [{ y: 1 }, { y: 2 }] };
    assert.equal(match({ a: { x: [1] }, b: { y: [2] } }, event), true);
  });
});

describe("$or", () => {
  test("matches when any alternative matches (documented numeric example)", () => {
    const pattern = {
      detail: {
        $or: [
          { "c-count": [{ numeric: [">", 0, "<=", 5] }] },
          { "d-count": [{ numeric: ["<", 10] }] },
          { "x-limit": [{ numeric: ["=", 3.018e2] }] },
        ],
      },
    };
    assert.equal(match(pattern, withDetail({ "c-count": 3 })), true);
    assert.equal(match(pattern, withDetail({ "d-count": 9 })), true);
    assert.equal(match(pattern, withDetail({ "x-limit": 301.8 })), true);
    assert.equal(match(pattern, withDetail({ "c-count": 6, "d-count": 11, "x-limit": 1 })), false);
  });

  test("keeps the fields outside $or required: source and (metricName or namespace)", () => {
    const pattern = {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
    };
    assert.equal(match(pattern, { source: "aws.cloudwatch", metricName: "ReadLatency" }), true);
    assert.equal(match(pattern, { source: "aws.cloudwatch", namespace: "AWS/ES" }), true);
    assert.equal(match(pattern, { source: "aws.cloudwatch", namespace: "AWS/S3" }), false);
    assert.equal(match(pattern, { source: "aws.ec2", metricName: "ReadLatency" }), false);
  });

  test("combines parallel $or groups as a conjunction of disjunctions", () => {
    const pattern = {
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
      detail: { $or: [{ source: ["aws.cloudwatch"] }, { "detail-type": ["CloudWatch Alarm State Change"] }] },
    };
    assert.equal(match(pattern, { metricName: "ReadLatency", detail: { source: "aws.cloudwatch" } }), true);
    assert.equal(
      match(pattern, { namespace: "AWS/EC2", detail: { "detail-type": "CloudWatch Alarm State Change" } }),
      true,
    );
    assert.equal(match(pattern, { metricName: "ReadLatency", detail: { source: "aws.ec2" } }), false);
  });

  test("supports an And inside an alternative and nested $or", () => {
    const pattern = {
      source: ["aws.cloudwatch"],
      $or: [
        { metricName: ["CPUUtilization", "ReadLatency"] },
        {
          metricType: ["MetricType"],
          namespace: ["AWS/EC2", "AWS/ES"],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ["Service"] },
      ],
    };
    const base = { source: "aws.cloudwatch" };
    assert.equal(match(pattern, { ...base, scope: "Service" }), true);
    assert.equal(
      match(pattern, { ...base, metricType: "MetricType", namespace: "AWS/EC2", spaceId: 1000 }),
      true,
    );
    assert.equal(match(pattern, { ...base, metricType: "MetricType", namespace: "AWS/EC2" }), false);
    assert.equal(match(pattern, { ...base, metricType: "MetricType", metricId: 1234 }), false);
  });

  test("matches location New York or day Monday", () => {
    const pattern = { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] };
    assert.equal(match(pattern, { Location: "Boston", Day: "Monday" }), true);
    assert.equal(match(pattern, { Location: "Boston", Day: "Friday" }), false);
  });
});

describe("events in other shapes", () => {
  test("accepts the event as JSON text", () => {
    assert.equal(match({ source: ["aws.ec2"] }, JSON.stringify(EC2_EVENT)), true);
  });

  test("matches nothing for an event that is not a JSON object", () => {
    assert.equal(match({ source: [{ exists: false }] }, "not json"), false);
    assert.equal(match({ source: [{ exists: false }] }, [1, 2]), false);
  });

  test("treats a dotted field name like the nested path it spells", () => {
    assert.equal(
      match({ detail: { "state.status": ["running"] } }, { detail: { state: { status: "running" } } }),
      true,
    );
    assert.equal(
      match({ detail: { state: { status: ["running"] } } }, { detail: { "state.status": "running" } }),
      true,
    );
  });
});
