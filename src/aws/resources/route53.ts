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
import type { AppSpec, DomainSpec } from "../../model/app-spec.ts";
import { route53HealthFunction } from "../../model/failover.ts";
import { DEFAULT_STAGE, type Route53HealthSpec } from "../../model/http-api.ts";
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

/** HTTPS, where API Gateway's custom domains (and a fleet's load balancer behind the domain) answer. */
export const HTTPS_PORT = 443;

/**
 * The health route of the function Route 53 checks, as its check calls it on the API's own host:
 * behind the stage's name unless the API serves the default stage.
 */
export function healthTarget(spec: AppSpec): HealthTarget | undefined {
  const fn = route53HealthFunction(spec);
  if (spec.http === undefined || fn?.health?.route53 === undefined) return undefined;
  return {
    path: spec.http.stage === DEFAULT_STAGE ? fn.health.path : `/${spec.http.stage}${fn.health.path}`,
    route53: fn.health.route53,
  };
}

export function healthCheckResource(app: string, region: string, health: HealthTarget): TemplateResource {
  return httpsHealthCheck(
    `${app} ${region}`,
    ref(logicalId("regionApiHostParameter", region)),
    logicalId("regionHealthCheckerIdParameter", region),
    health,
  );
}

/**
 * A health check calling `host` over HTTPS (SNI) on the health path with the checker's secret,
 * the NoEcho parameter `secretParameter` of the same stack.
 */
export function httpsHealthCheck(
  name: string,
  host: TemplateValue,
  secretParameter: string,
  health: HealthTarget,
): TemplateResource {
  return {
    Type: "AWS::Route53::HealthCheck",
    Properties: {
      HealthCheckConfig: {
        Type: "HTTPS",
        FullyQualifiedDomainName: host,
        Port: HTTPS_PORT,
        EnableSNI: true,
        ResourcePath: sub(`${health.path}?${CHECKER_ID_PARAMETER}=\${${secretParameter}}`),
        RequestInterval: health.route53.intervalSeconds,
        FailureThreshold: health.route53.failureThreshold,
      },
      HealthCheckTags: [{ Key: "Name", Value: name }],
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
  return aliasRecordSet(domain, {
    setIdentifier: region,
    // The record's own health check decides; the target (an API Gateway domain) has no health.
    target: {
      DNSName: ref(logicalId("regionDomainTargetParameter", region)),
      HostedZoneId: ref(logicalId("regionDomainZoneParameter", region)),
      EvaluateTargetHealth: false,
    },
    ...(domain.routing === "failover"
      ? { failover: index === 0 ? ("PRIMARY" as const) : ("SECONDARY" as const) }
      : { region }),
    ...(healthChecked ? { healthCheckId: ref(logicalId("regionHealthCheck", region)) } : {}),
  });
}

/** One alias A record of the domain's record set group, by routing policy. */
export interface AliasRecord {
  readonly setIdentifier: string;
  readonly target: {
    readonly DNSName: TemplateValue;
    readonly HostedZoneId: TemplateValue;
    readonly EvaluateTargetHealth: boolean;
  };
  /** Failover routing: which of the pair. */
  readonly failover?: "PRIMARY" | "SECONDARY";
  /** Latency routing: the record's region. */
  readonly region?: string;
  readonly healthCheckId?: TemplateValue;
}

export function aliasRecordSet(domain: DomainSpec, record: AliasRecord): TemplateResource {
  const properties: Record<string, TemplateValue> = {
    HostedZoneId: ref(DOMAIN_LOGICAL_IDS.hostedZoneParameter),
    Name: `${domain.name}.`,
    Type: "A",
    SetIdentifier: record.setIdentifier,
    AliasTarget: { ...record.target },
  };
  if (record.failover !== undefined) properties.Failover = record.failover;
  if (record.region !== undefined) properties.Region = record.region;
  if (record.healthCheckId !== undefined) properties.HealthCheckId = record.healthCheckId;
  return { Type: "AWS::Route53::RecordSet", Properties: properties };
}
