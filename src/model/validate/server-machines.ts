/**
 * What a fleet runs on (validate/servers.ts reads the rest): the EC2 instance type or the Fargate
 * task size, and the subnets, each checked against what EC2, ECS and Elastic Load Balancing take.
 */
import { FARGATE_TASK_SIZES, LIMITS } from "../limits.ts";
import type { ServerPlatform } from "../servers.ts";
import { checkKeys, type Issues, join, readInteger, readObject, readString } from "./values.ts";

const TASK_KEYS = ["cpu", "memoryMb"] as const;

/** `instanceType`: only on EC2, `<family>.<size>` as EC2 names instance types. */
export function readInstanceType(
  issues: Issues,
  path: string,
  value: unknown,
  platform: ServerPlatform | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  if (platform === "fargate") {
    issues.add(
      path,
      value,
      "instanceType sizes EC2 instances, but this fleet runs on Fargate, where task sizes it",
      `instanceType with platform "ec2", task with platform "fargate"`,
      `remove instanceType and size the task: task: { cpu: 512, memoryMb: 1024 }`,
    );
    return undefined;
  }
  const row = LIMITS.ec2.instanceType;
  const type = readString(issues, path, value, `"${row.default}"`);
  if (type === undefined) return undefined;
  if (row.pattern.test(type)) return type;
  const lower = type.toLowerCase();
  issues.add(
    path,
    type,
    `"${type.slice(0, 40)}" is not an EC2 instance type name`,
    row.charset,
    row.pattern.test(lower) ? `write instanceType: "${lower}"` : `write instanceType: "${row.default}"`,
  );
  return undefined;
}

/** `task`: only on Fargate, one of the cpu/memory combinations Fargate offers. */
export function readTask(
  issues: Issues,
  path: string,
  value: unknown,
  platform: ServerPlatform | undefined,
): { cpu: number; memoryMb: number } | undefined {
  if (value === undefined) return undefined;
  if (platform === "ec2") {
    issues.add(
      path,
      value,
      "task sizes Fargate tasks, but this fleet runs on EC2, where the instance type sizes it",
      `task with platform "fargate", instanceType with platform "ec2"`,
      `remove task, or set platform: "fargate"`,
    );
    return undefined;
  }
  const fields = readObject(issues, path, value, "{ cpu: 512, memoryMb: 1024 }");
  if (fields === undefined) return undefined;
  const before = issues.list.length;
  checkKeys(issues, path, fields, TASK_KEYS);
  const cpu = readInteger(issues, join(path, "cpu"), fields.cpu, { min: 1, unit: "CPU units" });
  const memoryMb = readInteger(issues, join(path, "memoryMb"), fields.memoryMb, { min: 1, unit: "MiB" });
  if (cpu === undefined || memoryMb === undefined || issues.list.length > before) return undefined;
  const memories = FARGATE_TASK_SIZES[cpu];
  if (memories === undefined) {
    const cpus = Object.keys(FARGATE_TASK_SIZES);
    issues.add(
      join(path, "cpu"),
      cpu,
      `Fargate has no task size with ${cpu} CPU units`,
      `one of ${cpus.join(", ")} (1024 = 1 vCPU)`,
      `write cpu: ${nearest(cpu, cpus.map(Number))}`,
    );
    return undefined;
  }
  if (memories.includes(memoryMb)) return { cpu, memoryMb };
  issues.add(
    join(path, "memoryMb"),
    memoryMb,
    `Fargate does not run a task of ${cpu} CPU units with ${memoryMb} MiB`,
    `with cpu ${cpu}: ${describeMemories(memories)} MiB`,
    `write memoryMb: ${nearest(memoryMb, memories)}, or pick another cpu`,
  );
  return undefined;
}

function describeMemories(memories: readonly number[]): string {
  if (memories.length <= 7) return memories.join(", ");
  const step = (memories[1] ?? 0) - (memories[0] ?? 0);
  return `${memories[0]} to ${memories[memories.length - 1]} in steps of ${step}`;
}

function nearest(value: number, candidates: readonly number[]): number {
  let best = candidates[0] ?? value;
  for (const candidate of candidates) {
    if (Math.abs(candidate - value) < Math.abs(best - value)) best = candidate;
  }
  return best;
}

/** `subnets`: EC2 subnet IDs, each once; a load balancer needs two (in different AZs: unchecked). */
export function readSubnets(
  issues: Issues,
  path: string,
  value: unknown,
  loadBalanced: boolean,
): string[] | undefined {
  if (value === undefined) return undefined;
  const row = LIMITS.ec2.subnetId;
  const example = `["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]`;
  if (!Array.isArray(value) || value.length === 0) {
    issues.add(
      path,
      value,
      "subnets must list the subnets the fleet runs in",
      "a non-empty array of subnet IDs",
      `write subnets: ${example}, or remove subnets for the default VPC's`,
    );
    return undefined;
  }
  const subnets: string[] = [];
  let valid = true;
  value.forEach((raw: unknown, index) => {
    const at = join(path, index);
    const id = readString(issues, at, raw, `"subnet-0123456789abcdef0"`);
    if (id === undefined) {
      valid = false;
    } else if (!row.pattern.test(id)) {
      const fix = `copy the ID from the VPC console or \`aws ec2 describe-subnets\``;
      issues.add(at, id, `"${id.slice(0, 40)}" is not a subnet ID`, row.charset, fix);
      valid = false;
    } else if (subnets.includes(id)) {
      issues.add(at, id, `subnet "${id}" is listed twice`, "each subnet once", `remove the second "${id}"`);
      valid = false;
    } else {
      subnets.push(id);
    }
  });
  const needed = LIMITS.elb.loadBalancerSubnets.min;
  if (valid && loadBalanced && subnets.length < needed) {
    issues.add(
      path,
      value,
      `an Application Load Balancer needs subnets in at least ${needed} Availability Zones, but ${subnets.length} subnet is named`,
      `at least ${needed} subnets in different Availability Zones, or loadBalancer: false`,
      `add a subnet of another Availability Zone, or remove subnets for the default VPC's`,
    );
    valid = false;
  }
  return valid ? subnets : undefined;
}
