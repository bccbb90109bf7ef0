/**
 * Resource discovery inside a function: the URLs, ARNs and names of the queues, functions,
 * event buses, DynamoDB tables and S3 buckets it is linked to, read from the variables `sluice dev`
 * and the deployed template both set (`SLUICE_QUEUE_<NAME>_URL`, `_ARN`; `SLUICE_FUNCTION_<NAME>_NAME`,
 * `_ARN`; `SLUICE_BUS_<NAME>_NAME`, `_ARN`; `SLUICE_TABLE_<NAME>_NAME`, `_ARN`;
 * `SLUICE_BUCKET_<NAME>_NAME`, `_ARN`; `SLUICE_STATE_MACHINE_<NAME>_ARN`).
 *
 * @example
 * import { resources } from "sluice/runtime";
 * await sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl("renders"), MessageBody }));
 */
import { RuntimeError } from "./errors.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** What each kind of resource is called in the definition, and the action that links it. */
const LINK = {
  QUEUE: { what: "queue", action: "sqs:SendMessage" },
  FUNCTION: { what: "function", action: "lambda:InvokeFunction" },
  BUS: { what: "bus", action: "events:PutEvents" },
  TABLE: { what: "table", action: "dynamodb:GetItem" },
  BUCKET: { what: "bucket", action: "s3:GetObject" },
  STATE_MACHINE: { what: "stateMachine", action: "states:StartExecution" },
} as const;

export interface Resources<
  QueueName extends string = string,
  FunctionName extends string = string,
  BusName extends string = string,
  TableName extends string = string,
  BucketName extends string = string,
  StateMachineName extends string = string,
> {
  /** The URL of a queue, by its name in the definition. */
  queueUrl(queue: QueueName): string;
  queueArn(queue: QueueName): string;
  /** The physical (deployed) name of a function, by its name in the definition. */
  functionName(fn: FunctionName): string;
  functionArn(fn: FunctionName): string;
  /** The physical (deployed) name of an event bus, by its name in the definition: PutEvents' `EventBusName`. */
  busName(bus: BusName): string;
  busArn(bus: BusName): string;
  /** The physical (deployed) name of a DynamoDB table, by its name in the definition: the `TableName` of every call. */
  tableName(table: TableName): string;
  tableArn(table: TableName): string;
  /**
   * The physical (deployed) name of an S3 bucket, by its name in the definition: the `Bucket` of
   * every call (`<app>-<name>-<account>-<region>`, lowercase).
   */
  bucketName(bucket: BucketName): string;
  bucketArn(bucket: BucketName): string;
  /** The ARN of a Step Functions state machine, by its name in the definition: StartExecution's `stateMachineArn`. */
  stateMachineArn(machine: StateMachineName): string;
}

/**
 * Discovery over `env`. The type parameters let an app narrow names to its own:
 * `resourcesOf<"renders" | "audit", "publish", "orders", "games", "content", "query">()`.
 * @default env process.env
 */
export function resourcesOf<
  QueueName extends string = string,
  FunctionName extends string = string,
  BusName extends string = string,
  TableName extends string = string,
  BucketName extends string = string,
  StateMachineName extends string = string,
>(
  env: Env = process.env,
): Resources<QueueName, FunctionName, BusName, TableName, BucketName, StateMachineName> {
  const read = (kind: keyof typeof LINK, name: string, field: string): string => {
    const variable = `SLUICE_${kind}_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_${field}`;
    const value = env[variable];
    if (value !== undefined && value !== "") return value;
    const { what, action } = LINK[kind];
    const self = env.AWS_LAMBDA_FUNCTION_NAME ?? "this function";
    throw new RuntimeError(
      "Sluice.ResourceNotLinked",
      `${self} is not linked to the ${what} "${name}" (${variable} is not set). A function sees the queue or ` +
        "table it consumes, what it routes to, and what its permissions name: add " +
        `permissions: [{ actions: ["${action}"], resources: ["${what}:${name}"] }] ` +
        "to the function in sluice.config.ts",
    );
  };
  return {
    queueUrl: (queue) => read("QUEUE", queue, "URL"),
    queueArn: (queue) => read("QUEUE", queue, "ARN"),
    functionName: (fn) => read("FUNCTION", fn, "NAME"),
    functionArn: (fn) => read("FUNCTION", fn, "ARN"),
    busName: (bus) => read("BUS", bus, "NAME"),
    busArn: (bus) => read("BUS", bus, "ARN"),
    tableName: (table) => read("TABLE", table, "NAME"),
    tableArn: (table) => read("TABLE", table, "ARN"),
    bucketName: (bucket) => read("BUCKET", bucket, "NAME"),
    bucketArn: (bucket) => read("BUCKET", bucket, "ARN"),
    stateMachineArn: (machine) => read("STATE_MACHINE", machine, "ARN"),
  };
}

/** Discovery over the function's own environment. */
export const resources: Resources = /* @__PURE__ */ resourcesOf();
