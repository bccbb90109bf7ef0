/**
 * Resource discovery inside a function: the URLs, ARNs and names of the queues and functions it
 * is linked to, read from the variables `sluice dev` and the deployed template both set
 * (`SLUICE_QUEUE_<NAME>_URL`, `_ARN`; `SLUICE_FUNCTION_<NAME>_NAME`, `_ARN`).
 *
 * @example
 * import { resources } from "sluice/runtime";
 * await sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl("renders"), MessageBody }));
 */
import { RuntimeError } from "./errors.ts";

type Env = Readonly<Record<string, string | undefined>>;

export interface Resources<QueueName extends string = string, FunctionName extends string = string> {
  /** The URL of a queue, by its name in the definition. */
  queueUrl(queue: QueueName): string;
  queueArn(queue: QueueName): string;
  /** The physical (deployed) name of a function, by its name in the definition. */
  functionName(fn: FunctionName): string;
  functionArn(fn: FunctionName): string;
}

/**
 * Discovery over `env`. The type parameters let an app narrow names to its own:
 * `resourcesOf<"renders" | "audit", "publish">()`.
 * @default env process.env
 */
export function resourcesOf<QueueName extends string = string, FunctionName extends string = string>(
  env: Env = process.env,
): Resources<QueueName, FunctionName> {
  const read = (kind: "QUEUE" | "FUNCTION", name: string, field: string): string => {
    const variable = `SLUICE_${kind}_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_${field}`;
    const value = env[variable];
    if (value !== undefined && value !== "") return value;
    const what = kind === "QUEUE" ? "queue" : "function";
    const self = env.AWS_LAMBDA_FUNCTION_NAME ?? "this function";
    throw new RuntimeError(
      "Sluice.ResourceNotLinked",
      `${self} is not linked to the ${what} "${name}" (${variable} is not set). A function sees the queue it ` +
        "consumes, what it routes to, and what its permissions name: add " +
        `permissions: [{ actions: ["${kind === "QUEUE" ? "sqs:SendMessage" : "lambda:InvokeFunction"}"], resources: ["${what}:${name}"] }] ` +
        "to the function in sluice.config.ts",
    );
  };
  return {
    queueUrl: (queue) => read("QUEUE", queue, "URL"),
    queueArn: (queue) => read("QUEUE", queue, "ARN"),
    functionName: (fn) => read("FUNCTION", fn, "NAME"),
    functionArn: (fn) => read("FUNCTION", fn, "ARN"),
  };
}

/** Discovery over the function's own environment. */
export const resources: Resources = /* @__PURE__ */ resourcesOf();
