/**
 * The one network `sluice cloud` answers EC2's network questions with (issue 19): every region has
 * a default VPC with a default subnet in each of two Availability Zones, as an account created
 * since 2013 has (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html: 172.31.0.0/16,
 * a /20 per zone). Nothing runs in it: deploy reads it to fill a server fleet's VPC and subnets
 * parameters, and the fleet's local providers accept any ids (docs/fidelity.md).
 */
import { AwsError } from "../../model/errors.ts";
import { own } from "../wire/index.ts";

export interface LocalVpc {
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly isDefault: true;
}

export interface LocalSubnet {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly cidrBlock: string;
  readonly defaultForAz: true;
}

/** The same ids in every region: they name nothing outside this account. */
export const LOCAL_VPC_ID = "vpc-0000000000000000a";
export const LOCAL_SUBNET_IDS = ["subnet-0000000000000000a", "subnet-0000000000000000b"] as const;

export function defaultVpc(): LocalVpc {
  return { vpcId: LOCAL_VPC_ID, cidrBlock: "172.31.0.0/16", isDefault: true };
}

export function defaultSubnets(region: string): LocalSubnet[] {
  return LOCAL_SUBNET_IDS.map((subnetId, i) => ({
    subnetId,
    vpcId: LOCAL_VPC_ID,
    availabilityZone: `${region}${"ab"[i]}`,
    cidrBlock: `172.31.${i * 16}.0/20`,
    defaultForAz: true,
  }));
}

/** One `Filter.N`: a name and the values any of which matches. */
export interface Ec2Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/**
 * What each filter Sluice answers reads from a VPC or subnet (names and their camel-case aliases
 * as DescribeVpcs and DescribeSubnets list them); any other filter is refused, not ignored.
 */
const VPC_FILTERS: Readonly<Record<string, (vpc: LocalVpc) => string>> = {
  "vpc-id": (v) => v.vpcId,
  "is-default": (v) => String(v.isDefault),
  isDefault: (v) => String(v.isDefault),
  "cidr-block": (v) => v.cidrBlock,
  cidr: (v) => v.cidrBlock,
};

const SUBNET_FILTERS: Readonly<Record<string, (subnet: LocalSubnet) => string>> = {
  "subnet-id": (s) => s.subnetId,
  "vpc-id": (s) => s.vpcId,
  vpcId: (s) => s.vpcId,
  "default-for-az": (s) => String(s.defaultForAz),
  defaultForAz: (s) => String(s.defaultForAz),
  "availability-zone": (s) => s.availabilityZone,
  availabilityZone: (s) => s.availabilityZone,
  "cidr-block": (s) => s.cidrBlock,
  cidrBlock: (s) => s.cidrBlock,
  cidr: (s) => s.cidrBlock,
};

/** DescribeVpcs: by id (an unknown one is InvalidVpcID.NotFound), then every filter. */
export function describeVpcs(ids: readonly string[], filters: readonly Ec2Filter[]): LocalVpc[] {
  const all = [defaultVpc()];
  return select(all, ids, (v) => v.vpcId, filters, VPC_FILTERS, "InvalidVpcID.NotFound", "vpc");
}

/** DescribeSubnets: by id (an unknown one is InvalidSubnetID.NotFound), then every filter. */
export function describeSubnets(
  region: string,
  ids: readonly string[],
  filters: readonly Ec2Filter[],
): LocalSubnet[] {
  return select(
    defaultSubnets(region),
    ids,
    (s) => s.subnetId,
    filters,
    SUBNET_FILTERS,
    "InvalidSubnetID.NotFound",
    "subnet",
  );
}

function select<T>(
  all: readonly T[],
  ids: readonly string[],
  idOf: (item: T) => string,
  filters: readonly Ec2Filter[],
  readers: Readonly<Record<string, (item: T) => string>>,
  notFound: string,
  what: string,
): T[] {
  for (const id of ids) {
    if (!all.some((item) => idOf(item) === id)) {
      throw new AwsError(notFound, `The ${what} ID '${id}' does not exist`, 400);
    }
  }
  const read = filters.map((f) => {
    const reader = own(readers, f.name);
    if (!reader) throw new AwsError("InvalidParameterValue", `The filter '${f.name}' is invalid`, 400);
    return { reader, values: f.values };
  });
  return all.filter(
    (item) =>
      (ids.length === 0 || ids.includes(idOf(item))) &&
      read.every(({ reader, values }) => values.includes(reader(item))),
  );
}
