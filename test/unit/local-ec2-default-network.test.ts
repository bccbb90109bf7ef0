/**
 * `sluice cloud`'s EC2 network (issue 19): one default VPC, a default subnet in each of two zones
 * of the asking region, DescribeVpcs/DescribeSubnets' filters and EC2's errors for unknown ids
 * and filters.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeSubnets, describeVpcs } from "../../src/local/ec2/default-network.ts";
import { AwsError } from "../../src/model/errors.ts";

const code = (expected: string) => (error: unknown) => error instanceof AwsError && error.code === expected;

describe("sluice cloud's default network", () => {
  test("the default VPC by filter (either spelling) or id; another filter value finds none", () => {
    for (const name of ["is-default", "isDefault"]) {
      assert.deepEqual(
        describeVpcs([], [{ name, values: ["true"] }]).map((v) => v.vpcId),
        ["vpc-0000000000000000a"],
      );
    }
    assert.deepEqual(describeVpcs([], [{ name: "is-default", values: ["false"] }]), []);
    assert.equal(describeVpcs(["vpc-0000000000000000a"], []).length, 1);
  });

  test("two default subnets in the region's first two zones, filtered by VPC and default-for-az", () => {
    const subnets = describeSubnets(
      "ap-southeast-2",
      [],
      [
        { name: "vpc-id", values: ["vpc-0000000000000000a"] },
        { name: "default-for-az", values: ["true"] },
      ],
    );
    assert.deepEqual(
      subnets.map((s) => [s.subnetId, s.availabilityZone, s.cidrBlock]),
      [
        ["subnet-0000000000000000a", "ap-southeast-2a", "172.31.0.0/20"],
        ["subnet-0000000000000000b", "ap-southeast-2b", "172.31.16.0/20"],
      ],
    );
    assert.deepEqual(describeSubnets("eu-west-1", [], [{ name: "vpc-id", values: ["vpc-other"] }]), []);
    assert.deepEqual(
      describeSubnets("eu-west-1", ["subnet-0000000000000000b"], []).map((s) => s.subnetId),
      ["subnet-0000000000000000b"],
    );
  });

  test("an unknown id or filter is EC2's error, not an empty answer", () => {
    assert.throws(
      () => describeSubnets("eu-west-1", ["subnet-0123456789abcdef0"], []),
      code("InvalidSubnetID.NotFound"),
    );
    assert.throws(() => describeVpcs(["vpc-1"], []), code("InvalidVpcID.NotFound"));
    assert.throws(
      () => describeVpcs([], [{ name: "owner-id", values: ["1"] }]),
      code("InvalidParameterValue"),
    );
    assert.throws(
      () => describeVpcs([], [{ name: "__proto__", values: ["1"] }]),
      code("InvalidParameterValue"),
    );
  });
});
