/**
 * AWS::SNS::Topic and AWS::SNS::Subscription, as far as the failover alarms need them: topics and
 * subscriptions are checked as CreateTopic and Subscribe check them and kept, but the local
 * account sends nothing (no email leaves the machine; an email subscription never confirms).
 * Ref of a topic is its ARN (TopicArn, TopicName attributes); Ref of a subscription is its ARN
 * (`<topic ARN>:<uuid>`, Arn attribute).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topic.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-subscription.html
 */
import { randomUUID } from "node:crypto";
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  booleanProp,
  generatedName,
  type Properties,
  randomChars,
  requiredString,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const SNS = LIMITS.sns;
const FIFO_SUFFIX = ".fifo";
/** Good enough to refuse what SNS refuses as an email endpoint: one @, something on each side. */
const EMAIL = /^[^@\s]+@[^@\s]+$/;

function topicName(properties: Properties, context: ResourceContext, env: ProviderEnv): string {
  const fifo = booleanProp(properties, "FifoTopic") === true;
  const name =
    stringProp(properties, "TopicName") ??
    generatedName(context, {
      maxLength: SNS.topicName.max,
      ...(fifo ? { suffix: FIFO_SUFFIX } : {}),
      random: env.random ?? randomChars,
    });
  const stem = fifo && name.endsWith(FIFO_SUFFIX) ? name.slice(0, -FIFO_SUFFIX.length) : name;
  if (fifo && stem === name) {
    throw new ResourceFailure(
      "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.",
    );
  }
  if (!SNS.topicName.pattern.test(stem) || name.length > SNS.topicName.max) {
    throw new ResourceFailure(
      "Invalid parameter: Topic Name must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.",
    );
  }
  return name;
}

export function topicProvider(env: ProviderEnv) {
  const provision = (name: string, context: ResourceContext) => {
    const arn = `${arnPrefix(context, "sns")}:${name}`;
    return { physicalId: arn, attributes: { TopicArn: arn, TopicName: name } };
  };
  return defineProvider("AWS::SNS::Topic", {
    create: (properties, context) => provision(topicName(properties, context, env), context),
    update(current, properties, context) {
      topicName(properties, context, env);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}

function checkSubscription(properties: Properties, context: ResourceContext): void {
  const protocol = requiredString(properties, "Protocol", context);
  const topic = requiredString(properties, "TopicArn", context);
  if (!(SNS.protocol.values as readonly string[]).includes(protocol)) {
    throw new ResourceFailure(
      `Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`,
    );
  }
  if (!topic.startsWith("arn:") || topic.split(":")[2] !== "sns") {
    throw new ResourceFailure(`Invalid parameter: TopicArn ${topic} is not an SNS topic ARN.`);
  }
  const endpoint = stringProp(properties, "Endpoint");
  if (
    (protocol === "email" || protocol === "email-json") &&
    (endpoint === undefined || !EMAIL.test(endpoint))
  ) {
    throw new ResourceFailure("Invalid parameter: Email address");
  }
}

export function subscriptionProvider() {
  return defineProvider("AWS::SNS::Subscription", {
    create(properties, context) {
      checkSubscription(properties, context);
      const arn = `${String(properties.TopicArn)}:${randomUUID()}`;
      return { physicalId: arn, attributes: { Arn: arn } };
    },
    update(current, properties, context) {
      checkSubscription(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
