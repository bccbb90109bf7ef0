/**
 * AWS::CloudWatch::Alarm: a metric alarm, checked as PutMetricAlarm checks it. The local account
 * keeps the alarm but does not evaluate it (no metrics are recorded, so no action runs): the
 * Route 53 health check it watches is what `sluice health` and GetHealthCheckStatus report.
 * Ref is the alarm's name; Arn is `arn:…:cloudwatch:<region>:<account>:alarm:<name>`.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  constraintFailure,
  generatedName,
  numberProp,
  type Properties,
  randomChars,
  requiredString,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const ALARMS = LIMITS.cloudwatchAlarms;
const OPERATORS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
];
const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const MISSING_DATA = ["breaching", "notBreaching", "ignore", "missing"];

function checkAlarm(properties: Properties, context: ResourceContext): void {
  const operator = requiredString(properties, "ComparisonOperator", context);
  if (!OPERATORS.includes(operator)) {
    constraintFailure(
      operator,
      "comparisonOperator",
      `Member must satisfy enum value set: [${OPERATORS.join(", ")}]`,
    );
  }
  const periods = numberProp(properties, "EvaluationPeriods", () =>
    constraintFailure(properties.EvaluationPeriods, "evaluationPeriods", "Member must be an integer"),
  );
  if (periods === undefined) requiredString(properties, "EvaluationPeriods", context);
  else if (periods < 1)
    constraintFailure(periods, "evaluationPeriods", "Member must have value greater than or equal to 1");
  const statistic = stringProp(properties, "Statistic");
  if (statistic !== undefined && !STATISTICS.includes(statistic)) {
    constraintFailure(
      statistic,
      "statistic",
      `Member must satisfy enum value set: [${STATISTICS.join(", ")}]`,
    );
  }
  const period = numberProp(properties, "Period", () =>
    constraintFailure(properties.Period, "period", "Member must be an integer"),
  );
  if (period !== undefined && !ALARMS.period.values.includes(String(period) as "10") && period % 60 !== 0) {
    throw new ResourceFailure(
      `The parameter Period must be 10, 20, 30 or a multiple of 60; got ${period}. (Service: CloudWatch, Status Code: 400)`,
    );
  }
  if (
    properties.Metrics === undefined &&
    (properties.MetricName === undefined || properties.Namespace === undefined)
  ) {
    throw new ResourceFailure("An alarm needs either MetricName and Namespace, or Metrics.");
  }
  const missing = stringProp(properties, "TreatMissingData");
  if (missing !== undefined && !MISSING_DATA.includes(missing)) {
    constraintFailure(
      missing,
      "treatMissingData",
      `Member must satisfy enum value set: [${MISSING_DATA.join(", ")}]`,
    );
  }
  for (const key of ["AlarmActions", "OKActions", "InsufficientDataActions"]) {
    const actions = properties[key];
    if (Array.isArray(actions) && actions.length > ALARMS.actions.max) {
      constraintFailure(
        JSON.stringify(actions),
        key.charAt(0).toLowerCase() + key.slice(1),
        `Member must have length less than or equal to ${ALARMS.actions.max}`,
      );
    }
  }
}

function alarmName(properties: Properties, context: ResourceContext, env: ProviderEnv): string {
  const name =
    stringProp(properties, "AlarmName") ??
    generatedName(context, { maxLength: ALARMS.alarmName.max, random: env.random ?? randomChars });
  if (name.length < ALARMS.alarmName.min || name.length > ALARMS.alarmName.max) {
    constraintFailure(
      name,
      "alarmName",
      `Member must have length less than or equal to ${ALARMS.alarmName.max}`,
    );
  }
  return name;
}

export function alarmProvider(env: ProviderEnv) {
  const attributes = (name: string, context: ResourceContext) => ({
    Arn: `${arnPrefix(context, "cloudwatch")}:alarm:${name}`,
  });
  return defineProvider("AWS::CloudWatch::Alarm", {
    create(properties, context) {
      checkAlarm(properties, context);
      const name = alarmName(properties, context, env);
      return { physicalId: name, attributes: attributes(name, context) };
    },
    update(current, properties, context) {
      checkAlarm(properties, context);
      return { physicalId: current.physicalId, attributes: attributes(current.physicalId, context) };
    },
  });
}
