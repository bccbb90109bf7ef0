/**
 * The global stack's alarms: per region a CloudWatch alarm on Route 53's HealthCheckStatus of
 * the region's check (1 healthy, 0 unhealthy; the Minimum over a period below 1 means the check
 * was unhealthy at some point in it), and, when the definition gives `alarmEmail`, an SNS topic
 * with an email subscription that the alarm notifies when it fires and when it clears.
 *
 * Route 53 publishes its metrics in us-east-1 only, at standard resolution (one point a minute),
 * so the alarm lives in the global stack there, with a 60-second period whatever the check's
 * interval (an alarm on a standard-resolution metric takes 60 seconds or a multiple).
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudwatch-alarm.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-topic.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sns-subscription.html
 */
import { LIMITS } from "../../model/limits.ts";
import { ref } from "../template/intrinsics.ts";
import { DOMAIN_LOGICAL_IDS, logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";

export function healthAlarmResource(app: string, region: string, notify: boolean): TemplateResource {
  const properties: Record<string, TemplateValue> = {
    AlarmDescription: `${app}: the Route 53 health check of ${region} is unhealthy (Route 53 routes around it)`,
    Namespace: "AWS/Route53",
    MetricName: "HealthCheckStatus",
    Dimensions: [{ Name: "HealthCheckId", Value: ref(logicalId("regionHealthCheck", region)) }],
    Statistic: "Minimum",
    Period: LIMITS.route53.healthCheckMetricPeriod.default,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: "LessThanThreshold",
    // No data means Route 53 reported nothing: not a failure of the endpoint.
    TreatMissingData: "notBreaching",
  };
  if (notify) {
    properties.AlarmActions = [ref(DOMAIN_LOGICAL_IDS.alarmTopic)];
    properties.OKActions = [ref(DOMAIN_LOGICAL_IDS.alarmTopic)];
  }
  return { Type: "AWS::CloudWatch::Alarm", Properties: properties };
}

/** The topic the alarms notify and its email subscription (the address confirms it once). */
export function alarmTopicResources(app: string, email: string): Record<string, TemplateResource> {
  return {
    [DOMAIN_LOGICAL_IDS.alarmTopic]: {
      Type: "AWS::SNS::Topic",
      Properties: { DisplayName: `${app} health` },
    },
    [DOMAIN_LOGICAL_IDS.alarmSubscription]: {
      Type: "AWS::SNS::Subscription",
      Properties: { TopicArn: ref(DOMAIN_LOGICAL_IDS.alarmTopic), Protocol: "email", Endpoint: email },
    },
  };
}
