/**
 * AWS::SQS::Queue and AWS::SQS::QueuePolicy. A queue's attributes are checked here with SQS's
 * ranges and wording; the region's cloud creates or updates the queue when the stack settles
 * (keeping its messages), and a delete removes the queue and its messages at once, as SQS does.
 */
import { randomUUID } from "node:crypto";
import { isQueueName, QUEUE_ATTRIBUTE_LIMITS, withinLimit } from "../../../model/limit-rules.ts";
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  booleanProp,
  generatedName,
  jsonProp,
  numberProp,
  type Properties,
  randomChars,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const NAME = LIMITS.sqs.queueName;
const NAME_RULE = `Can only include alphanumeric characters, hyphens, or underscores. ${NAME.min} to ${NAME.max} in length`;

/** SQS's answer to a bad attribute, as CloudFormation's handler reports it. */
function invalid(parameter: string, detail?: string): never {
  throw new ResourceFailure(
    `Invalid value for the parameter ${parameter}.${detail ? ` Reason: ${detail}` : ""} (Service: Sqs, Status Code: 400, Request ID: ${randomUUID()})`,
  );
}

/** The queue's physical name: QueueName, or one CloudFormation generates (`.fifo` kept for FIFO queues). */
export function queueName(properties: Properties, context: ResourceContext, env: ProviderEnv): string {
  const fifo = booleanProp(properties, "FifoQueue") === true;
  const given = stringProp(properties, "QueueName");
  const name =
    given ??
    generatedName(context, {
      maxLength: NAME.max,
      ...(fifo ? { suffix: ".fifo" } : {}),
      random: env.random ?? randomChars,
    });
  if (fifo !== name.endsWith(".fifo")) {
    invalid(
      "QueueName",
      fifo
        ? `The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be ${NAME.min} to ${NAME.max} in length.`
        : NAME_RULE,
    );
  }
  if (!isQueueName(name)) {
    invalid("QueueName", NAME_RULE);
  }
  return name;
}

/** Checks every attribute the queue sets against SQS's ranges. */
export function checkQueue(properties: Properties): void {
  for (const [key, { limit }] of Object.entries(QUEUE_ATTRIBUTE_LIMITS)) {
    const value = numberProp(properties, key, () => invalid(key));
    if (value !== undefined && !withinLimit(limit, value)) invalid(key);
  }
  const fifo = booleanProp(properties, "FifoQueue") === true;
  if (booleanProp(properties, "ContentBasedDeduplication") === true && !fifo)
    invalid("ContentBasedDeduplication");
  const redrive = jsonProp(properties, "RedrivePolicy");
  if (redrive) {
    const target = redrive.deadLetterTargetArn;
    const count = Number(redrive.maxReceiveCount);
    if (typeof target !== "string" || !target.startsWith("arn:"))
      invalid("RedrivePolicy", "Dead letter target does not exist.");
    if (!withinLimit(LIMITS.sqs.maxReceiveCount, count)) {
      invalid(
        "RedrivePolicy",
        `Value ${JSON.stringify(redrive.maxReceiveCount)} for parameter maxReceiveCount is invalid.`,
      );
    }
    if (target.endsWith(".fifo") !== fifo) {
      invalid(
        "RedrivePolicy",
        "Dead-letter target owner queue type must match the source queue type (standard or FIFO).",
      );
    }
  }
}

export function queueProvider(env: ProviderEnv) {
  const provision = (name: string, context: ResourceContext) => {
    const arn = `${arnPrefix(context, "sqs")}:${name}`;
    const url = `${context.endpointUrl.replace(/\/+$/, "")}/${context.accountId}/${name}`;
    return { physicalId: url, attributes: { Arn: arn, QueueName: name, QueueUrl: url } };
  };
  return defineProvider("AWS::SQS::Queue", {
    async create(properties, context) {
      const name = queueName(properties, context, env);
      checkQueue(properties);
      if (await env.queues.exists(context.region, name)) {
        throw new ResourceFailure(
          `Resource of type 'AWS::SQS::Queue' with identifier '${name}' already exists.`,
        );
      }
      return provision(name, context);
    },
    update(current, properties) {
      checkQueue(properties);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
    async delete(current, context) {
      await env.queues.delete(context.region, String(current.attributes.QueueName));
    },
  });
}

export function queuePolicyProvider(env: ProviderEnv) {
  return defineProvider("AWS::SQS::QueuePolicy", {
    create(properties, context) {
      const queues = properties.Queues;
      if (!Array.isArray(queues) || queues.length === 0) {
        throw new ResourceFailure(
          `Properties validation failed for resource ${context.logicalId} with message: #: required key [Queues] not found`,
        );
      }
      jsonProp(properties, "PolicyDocument");
      const id = `${context.stackName}-${context.logicalId}-${(env.random ?? randomChars)(12, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}`;
      return { physicalId: id, attributes: { Id: id } };
    },
    update: (current, properties) => {
      jsonProp(properties, "PolicyDocument");
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
