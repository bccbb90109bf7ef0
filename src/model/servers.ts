/**
 * Server fleets (issue 19): long-running servers that serve some of the app's functions beside
 * Lambda, with the same handler bundles, through `sluice serve`. What a user writes under
 * `servers` (ServerDefinition) and what validate/servers.ts normalises it into (ServerSpec).
 * Every number (instance sizes, ports, counts) is checked against the limits table.
 */

/** Where a fleet runs: EC2 instances in an auto-scaling group, or ECS tasks on Fargate. */
export type ServerPlatform = "ec2" | "fargate";

/**
 * Which of the fleet and Lambda takes the API's traffic first, behind the app's domain (Route 53
 * failover records): `failover` — Lambda is PRIMARY, the fleet SECONDARY; `primary` — the fleet
 * is PRIMARY, Lambda SECONDARY and the served functions' SQS mappings stand by (disabled).
 */
export type ServerRole = "primary" | "failover";

export interface ServerDefinition<FunctionName extends string = string> {
  /**
   * The functions this fleet serves: their HTTP routes, queue consumers and (with `schedules`)
   * schedules. They stay Lambda functions too. A function with WebSocket routes or a table or
   * bucket trigger may be listed, but that trigger stays on Lambda. A function is served by one
   * fleet at most.
   * @example functions: ["api", "render"]
   */
  functions: readonly FunctionName[];
  /** @default "ec2" */
  platform?: ServerPlatform;
  /**
   * EC2 instance type (platform "ec2").
   * @default "t4g.small"
   * @example instanceType: "c7g.large"
   */
  instanceType?: string;
  /**
   * vCPU and memory of each Fargate task (platform "fargate"), one of the combinations Fargate
   * offers. @default { cpu: 512, memoryMb: 1024 }
   */
  task?: { cpu: number; memoryMb: number };
  /** Instances or tasks kept running at least. @default 1 */
  minSize?: number;
  /** Instances or tasks at most. @default minSize */
  maxSize?: number;
  /**
   * The port `sluice serve` listens on, behind the load balancer: 1024–65535 (it runs as an
   * unprivileged service user, which cannot bind lower ports). @default 8080
   */
  port?: number;
  /** An internet-facing Application Load Balancer in front of the fleet. @default true */
  loadBalancer?: boolean;
  /**
   * Where the fleet sits behind the app's `domain` (failover routing). Absent: the fleet only
   * answers on its own load balancer's URL.
   * @default absent
   */
  role?: ServerRole;
  /**
   * The subnets instances and the load balancer use (at least two, in different Availability
   * Zones, for the load balancer). @default the default VPC's subnets
   * @example subnets: ["subnet-0abc…", "subnet-0def…"]
   */
  subnets?: readonly string[];
  /** Run the served functions' schedules on the fleet too (`sluice serve --schedules`). @default false */
  schedules?: boolean;
  /**
   * Seconds a stopping server waits for in-flight work (SIGTERM) before it releases the rest.
   * @default 30
   */
  shutdownSeconds?: number;
}

/**
 * The metadata key on a fleet's launch template (EC2) or task definition (Fargate): synth writes
 * it (aws/resources/server-fleet-serve.ts), `sluice cloud` reads it (local/cloud-host).
 */
export const SERVER_METADATA_KEY = "Sluice::Server";

/** A fleet, validated, every default applied. */
export interface ServerSpec {
  /** Name in the definition (the key under `servers`). */
  readonly name: string;
  /** Definition names of the functions it serves, in the order written. */
  readonly functions: readonly string[];
  readonly platform: ServerPlatform;
  /** Set for platform "ec2". */
  readonly instanceType?: string;
  /** Set for platform "fargate". */
  readonly task?: { readonly cpu: number; readonly memoryMb: number };
  readonly minSize: number;
  readonly maxSize: number;
  readonly port: number;
  readonly loadBalancer: boolean;
  readonly role?: ServerRole;
  readonly subnets?: readonly string[];
  readonly schedules: boolean;
  readonly shutdownSeconds: number;
}
