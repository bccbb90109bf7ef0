/**
 * A server fleet's network against a fake EC2 (issue 19): the default VPC (DescribeVpcs
 * is-default=true) and its default subnets (DescribeSubnets vpc-id, default-for-az=true, every
 * page), the VPC of named subnets (DescribeSubnets by id), and the errors saying what to do.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DeployError } from "../../src/aws/deploy/deploy-error.ts";
import { ec2Network, fleetNetworkParameters } from "../../src/aws/deploy/fleet-network.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import type { ServerSpec } from "../../src/model/servers.ts";

type Call = { readonly command: string; readonly input: Record<string, unknown> };
type Answer = (input: Record<string, unknown>) => unknown;

/** A fake EC2: each command name answers with its function; every call is kept. */
function fakeEc2(answers: Record<string, Answer>) {
  const calls: Call[] = [];
  let made = 0;
  const client = {
    send: async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
      const name = command.constructor.name.replace(/Command$/, "");
      calls.push({ command: name, input: command.input });
      const answer = answers[name];
      if (!answer) assert.fail(`unexpected EC2 call ${name}`);
      return answer(command.input);
    },
  };
  return {
    calls,
    made: () => made,
    ec2: async () => {
      made++;
      return client as never;
    },
  };
}

function fleet(name: string, subnets?: string[]): ServerSpec {
  return {
    name,
    functions: ["api"],
    platform: "ec2",
    minSize: 1,
    maxSize: 1,
    port: 8080,
    loadBalancer: true,
    schedules: false,
    shutdownSeconds: 30,
    ...(subnets ? { subnets } : {}),
  } as unknown as ServerSpec;
}

const specWith = (...fleets: ServerSpec[]) =>
  ({ name: "shop", servers: Object.fromEntries(fleets.map((f) => [f.name, f])) }) as unknown as AppSpec;
const template = (names: string[]) =>
  ({ Parameters: Object.fromEntries(names.map((n) => [n, { Type: "String" }])) }) as never;

const DEFAULT_VPC = { Vpcs: [{ VpcId: "vpc-d", IsDefault: true }] };

describe("a fleet's network from EC2", () => {
  test("the default VPC and its default subnets, every page, looked up once for two fleets", async () => {
    const fake = fakeEc2({
      DescribeVpcs: () => DEFAULT_VPC,
      DescribeSubnets: (input) =>
        input.NextToken === undefined
          ? { Subnets: [{ SubnetId: "subnet-2", VpcId: "vpc-d" }], NextToken: "page-2" }
          : { Subnets: [{ SubnetId: "subnet-1", VpcId: "vpc-d" }] },
    });
    const values = await fleetNetworkParameters(
      specWith(fleet("web"), fleet("jobs")),
      template(["WebFleetVpc", "WebFleetSubnets", "JobsFleetVpc", "JobsFleetSubnets"]),
      ec2Network("eu-west-1", fake.ec2),
    );
    assert.deepEqual(values, {
      WebFleetVpc: "vpc-d",
      WebFleetSubnets: "subnet-1,subnet-2",
      JobsFleetVpc: "vpc-d",
      JobsFleetSubnets: "subnet-1,subnet-2",
    });
    assert.deepEqual(fake.calls, [
      { command: "DescribeVpcs", input: { Filters: [{ Name: "is-default", Values: ["true"] }] } },
      {
        command: "DescribeSubnets",
        input: {
          Filters: [
            { Name: "vpc-id", Values: ["vpc-d"] },
            { Name: "default-for-az", Values: ["true"] },
          ],
        },
      },
      {
        command: "DescribeSubnets",
        input: {
          Filters: [
            { Name: "vpc-id", Values: ["vpc-d"] },
            { Name: "default-for-az", Values: ["true"] },
          ],
          NextToken: "page-2",
        },
      },
    ]);
  });

  test("an account without a default VPC: the deploy fails naming the fleet's subnets setting", async () => {
    const fake = fakeEc2({ DescribeVpcs: () => ({ Vpcs: [] }) });
    await assert.rejects(
      fleetNetworkParameters(
        specWith(fleet("web")),
        template(["WebFleetVpc"]),
        ec2Network("eu-west-1", fake.ec2),
      ),
      (error: unknown) =>
        error instanceof DeployError &&
        /eu-west-1 has no default VPC; name subnets in servers\.web\.subnets/.test(error.message),
    );
  });

  test("a default VPC without default subnets fails the same way", async () => {
    const fake = fakeEc2({ DescribeVpcs: () => DEFAULT_VPC, DescribeSubnets: () => ({ Subnets: [] }) });
    await assert.rejects(
      fleetNetworkParameters(specWith(fleet("web")), template(["WebFleetVpc"]), ec2Network("r", fake.ec2)),
      /no default subnets in its default VPC vpc-d; name subnets in servers\.web\.subnets/,
    );
  });

  test("named subnets: only their VPC is asked for, by id; no default VPC lookup", async () => {
    const fake = fakeEc2({
      DescribeSubnets: () => ({
        Subnets: [
          { SubnetId: "subnet-a", VpcId: "vpc-7" },
          { SubnetId: "subnet-b", VpcId: "vpc-7" },
        ],
      }),
    });
    const values = await fleetNetworkParameters(
      specWith(fleet("web", ["subnet-a", "subnet-b"])),
      template(["WebFleetVpc"]),
      ec2Network("r", fake.ec2),
    );
    assert.deepEqual(values, { WebFleetVpc: "vpc-7" });
    assert.deepEqual(fake.calls, [
      { command: "DescribeSubnets", input: { SubnetIds: ["subnet-a", "subnet-b"] } },
    ]);
  });

  test("named subnets in two VPCs, or unknown to EC2, fail naming the setting", async () => {
    const split = fakeEc2({
      DescribeSubnets: () => ({
        Subnets: [
          { SubnetId: "subnet-a", VpcId: "vpc-1" },
          { SubnetId: "subnet-b", VpcId: "vpc-2" },
        ],
      }),
    });
    await assert.rejects(
      fleetNetworkParameters(
        specWith(fleet("web", ["subnet-a", "subnet-b"])),
        template(["WebFleetVpc"]),
        ec2Network("r", split.ec2),
      ),
      /servers\.web\.subnets must be in one VPC of r; they are in vpc-1, vpc-2/,
    );
    const unknown = fakeEc2({
      DescribeSubnets: () => {
        throw Object.assign(new Error("The subnet ID 'subnet-x' does not exist"), {
          name: "InvalidSubnetID.NotFound",
        });
      },
    });
    await assert.rejects(
      fleetNetworkParameters(
        specWith(fleet("web", ["subnet-x"])),
        template(["WebFleetVpc"]),
        ec2Network("r", unknown.ec2),
      ),
      (error: unknown) =>
        error instanceof DeployError &&
        /servers\.web\.subnets: The subnet ID 'subnet-x' does not exist/.test(error.message),
    );
  });

  test("an app whose template declares no network parameter never makes the EC2 client", async () => {
    const fake = fakeEc2({});
    assert.deepEqual(
      await fleetNetworkParameters(specWith(fleet("web")), template([]), ec2Network("r", fake.ec2)),
      {},
    );
    assert.equal(fake.made(), 0);
  });
});
