/**
 * AWS::Logs::LogGroup: a log group of the account's CloudWatch Logs surface, where Lambda writes
 * the function of the same name's log lines. Ref is the name; Arn ends in `:*`, as AWS documents.
 */
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  generatedName,
  numberProp,
  type Properties,
  quotedValue,
  randomChars,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

/** CloudWatch Logs' allowed retention periods (PutRetentionPolicy), from the limits table. */
const RETENTION_DAYS: readonly number[] = LIMITS.logs.retentionInDays.values.map(Number);

const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

function retention(properties: Properties): number | undefined {
  const days = numberProp(properties, "RetentionInDays", () => badRetention(properties.RetentionInDays));
  if (days !== undefined && !RETENTION_DAYS.includes(days)) badRetention(days);
  return days;
}

function badRetention(value: unknown): never {
  throw new ResourceFailure(
    `1 validation error detected: Value ${quotedValue(value)} at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(", ")}]`,
  );
}

function groupName(properties: Properties, context: ResourceContext, env: ProviderEnv): string {
  const name =
    stringProp(properties, "LogGroupName") ??
    generatedName(context, { maxLength: 512, random: env.random ?? randomChars });
  if (!LOG_GROUP_NAME.test(name)) {
    throw new ResourceFailure(
      `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
    );
  }
  return name;
}

export function logGroupProvider(env: ProviderEnv) {
  const attributes = (name: string, context: ResourceContext) => ({
    Arn: `${arnPrefix(context, "logs")}:log-group:${name}:*`,
  });
  return defineProvider("AWS::Logs::LogGroup", {
    create(properties, context) {
      const name = groupName(properties, context, env);
      const days = retention(properties);
      if (env.logs?.exists(context.region, name)) {
        throw new ResourceFailure(
          `Resource of type 'AWS::Logs::LogGroup' with identifier '${name}' already exists.`,
        );
      }
      env.logs?.createLogGroup(context.region, name);
      if (days !== undefined) env.logs?.putRetention(context.region, name, days);
      return { physicalId: name, attributes: attributes(name, context) };
    },
    update(current, properties, context) {
      const days = retention(properties);
      env.logs?.putRetention(context.region, current.physicalId, days);
      return { physicalId: current.physicalId, attributes: attributes(current.physicalId, context) };
    },
    delete(current, context) {
      // Already gone counts as deleted, as CloudFormation treats NotFound on delete.
      if (env.logs?.exists(context.region, current.physicalId))
        env.logs.deleteLogGroup(context.region, current.physicalId);
    },
  });
}
