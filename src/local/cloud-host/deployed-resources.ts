/**
 * A region's deployed resources, as the CloudFormation engine records them, indexed for the
 * translation into the app the region's cloud runs. ARNs and names resolve to physical names:
 * physical function, queue and bus names are unique per account and region, on AWS too.
 */
import { functionNameOf, type StackResourceRecord } from "../cloudformation/index.ts";

/** One resource of a stack, with its resolved properties and what its provider returned. */
export type DeployedResource = StackResourceRecord;

export type Props = Readonly<Record<string, unknown>>;

export class ResourceIndex {
  private readonly byType = new Map<string, DeployedResource[]>();
  /** Notes on resources the running app cannot use as they are (shown by the host). */
  readonly notes: string[] = [];

  constructor(readonly resources: readonly DeployedResource[]) {
    for (const resource of resources) {
      const list = this.byType.get(resource.resourceType) ?? [];
      list.push(resource);
      this.byType.set(resource.resourceType, list);
    }
  }

  of(type: string): readonly DeployedResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The physical name of the region's queue an ARN (or URL, or name) names, if deployed. */
  queueName(arnOrUrl: string): string | undefined {
    const name = arnOrUrl.slice(Math.max(arnOrUrl.lastIndexOf(":"), arnOrUrl.lastIndexOf("/")) + 1);
    return this.of("AWS::SQS::Queue").some((q) => q.attributes.QueueName === name) ? name : undefined;
  }

  /** The physical name of the function a name, `name:qualifier` or (alias) ARN names, if deployed. */
  functionName(reference: string): string | undefined {
    const at = reference.indexOf(":function:");
    // API Gateway's integration URI wraps the function ARN: `...:lambda:path/2015-03-31/functions/<arn>/invocations`.
    const text = at >= 0 ? `arn:x${reference.slice(at).split("/")[0]}` : reference;
    const { name } = functionNameOf(text);
    return this.of("AWS::Lambda::Function").some((f) => f.physicalId === name) ? name : undefined;
  }

  /** `default`, or the physical name of a deployed bus an ARN or name names. */
  busName(arnOrName: string): string | undefined {
    const at = arnOrName.indexOf(":event-bus/");
    const name = at >= 0 ? arnOrName.slice(at + ":event-bus/".length) : arnOrName;
    if (name === "default") return name;
    return this.of("AWS::Events::EventBus").some((b) => b.physicalId === name) ? name : undefined;
  }

  /** What an ARN a destination or target names: a queue, function or bus of the region. */
  target(arn: string): { kind: "queue" | "function" | "bus"; name: string } | undefined {
    const service = arn.split(":")[2];
    const name =
      service === "sqs"
        ? this.queueName(arn)
        : service === "lambda"
          ? this.functionName(arn)
          : service === "events"
            ? this.busName(arn)
            : undefined;
    if (name === undefined) return undefined;
    return { kind: service === "sqs" ? "queue" : service === "lambda" ? "function" : "bus", name };
  }
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
}

export function num(value: unknown, fallback: number): number {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : fallback;
}

export function obj(value: unknown): Props {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : {};
}

export function json(value: unknown): Props {
  if (typeof value !== "string") return obj(value);
  try {
    return obj(JSON.parse(value));
  } catch {
    return {};
  }
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
