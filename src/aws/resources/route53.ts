/**
 * The global stack's Route 53 part: per region a health check that calls the region's health
 * route on the API's own host, and an alias record for the app's domain to the region's API
 * Gateway domain name, with the domain's routing policy and the region's health check.
 *
 * The health check: HTTPS on 443 with SNI (API Gateway serves many names per address), the path
 * the function's health route answers, `?healthCheckerId=` and the secret. The secret comes from a
 * NoEcho parameter per region, filled by deploy with the value the regional stack got; NoEcho
 * masks it in DescribeStacks and the console, but Route 53 keeps ResourcePath as data
 * (GetHealthCheck returns it) and CloudFormation does not mask resource properties: whoever may
 * read the account's health checks may read the secret, as on AWS with a console-made check.
 *
 * The records: failover routing is one PRIMARY and one SECONDARY record with the same name and
 * type, each with a SetIdentifier; latency routing is one record per region with `Region`. Both
 * are alias A records (the target's TTL) to the regional domain's target, answering only while
 * the record's health check is healthy.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-healthcheck.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-route53-healthcheck-healthcheckconfig.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-recordset.html
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover-alias.html
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-latency-alias.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html
 */
import type { DomainSpec } from "../../model/app-spec.ts";
import type { Route53HealthSpec } from "../../model/http-api.ts";
import { CHECKER_ID_PARAMETER } from "../../model/validate/failover-rules.ts";
import { ref, sub } from "../template/intrinsics.ts";
import { DOMAIN_LOGICAL_IDS, logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";

/** The health route a region's check calls: the path on the API's own host, stage included. */
export interface HealthTarget {
  /** `/health`, or `/<stage>/health` on a named stage. */
  readonly path: string;
  readonly route53: Route53HealthSpec;
}

const HTTPS_PORT = 443;

export function healthCheckResource(app: string, region: string, health: HealthTarget): TemplateResource {
  const secret = logicalId("regionHealthCheckerIdParameter", region);
  return {
    Type: "AWS::Route53::HealthCheck",
    Properties: {
      HealthCheckConfig: {
        Type: "HTTPS",
        FullyQualifiedDomainName: ref(logicalId("regionApiHostParameter", region)),
        Port: HTTPS_PORT,
        EnableSNI: true,
        ResourcePath: sub(`${health.path}?${CHECKER_ID_PARAMETER}=\${${secret}}`),
        RequestInterval: health.route53.intervalSeconds,
        FailureThreshold: health.route53.failureThreshold,
      },
      HealthCheckTags: [{ Key: "Name", Value: `${app} ${region}` }],
    },
  };
}

/**
 * The alias record of `region`. `index` is the region's place in the app's regions, primary
 * first: under failover routing the primary is PRIMARY and the (one) secondary SECONDARY.
 */
export function recordSetResource(
  domain: DomainSpec,
  region: string,
  index: number,
  healthChecked: boolean,
): TemplateResource {
  const properties: Record<string, TemplateValue> = {
    HostedZoneId: ref(DOMAIN_LOGICAL_IDS.hostedZoneParameter),
    Name: `${domain.name}.`,
    Type: "A",
    SetIdentifier: region,
    AliasTarget: {
      DNSName: ref(logicalId("regionDomainTargetParameter", region)),
      HostedZoneId: ref(logicalId("regionDomainZoneParameter", region)),
      // The record's own health check decides; the target (an API Gateway domain) has no health.
      EvaluateTargetHealth: false,
    },
  };
  if (domain.routing === "failover") properties.Failover = index === 0 ? "PRIMARY" : "SECONDARY";
  else properties.Region = region;
  if (healthChecked) properties.HealthCheckId = ref(logicalId("regionHealthCheck", region));
  return { Type: "AWS::Route53::RecordSet", Properties: properties };
}
