/**
 * A one-region app's domain with a fleet that has a `role` (issue 19): Route 53 failover records
 * between the Lambda API and the fleet, in the app's own stack (a multi-region app's records pair
 * regions in the global stack instead, synth-global.ts).
 *
 * - The Lambda API's record aliases the API's regional custom domain (domain.ts) and follows a
 *   health check on the function's Route 53 health route, as a region's does (route53.ts), with
 *   the function's own checker secret parameter of this stack.
 * - The fleet's record aliases its Application Load Balancer (DNSName, CanonicalHostedZoneID) with
 *   EvaluateTargetHealth: Route 53 then follows the load balancer's target health (its target
 *   group's checks on `/healthz`), so the fleet needs no health check of its own.
 * - `role: "failover"`: Lambda PRIMARY, the fleet SECONDARY; `role: "primary"`: the fleet
 *   PRIMARY, Lambda SECONDARY (and the served functions' SQS mappings stand by,
 *   event-source-mapping.ts).
 * - The fleet's load balancer answers the domain over HTTPS as API Gateway does: a listener on 443
 *   with the domain's certificate (domain.ts's, in this region as ALB needs) and the security
 *   policy AWS recommends, forwarding to the fleet's target group; its security group opens 443
 *   beside the HTTP port. Without it a failover would send https:// clients to a closed port.
 *
 * The alarm on the health check a multi-region app gets is left out: Route 53's health check
 * metrics are published in us-east-1 only, which a one-region stack elsewhere cannot alarm on.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover-alias.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html (EvaluateTargetHealth, ELB load balancers)
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-loadbalancer.html (DNSName, CanonicalHostedZoneID)
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigatewayv2-domainname.html (RegionalDomainName, RegionalHostedZoneId)
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { route53HealthFunction } from "../../model/failover.ts";
import { failoverFleet, fleetSetIdentifier, LAMBDA_SET_IDENTIFIER } from "../../model/fleet-roles.ts";
import { resourcePrefix } from "../../model/naming.ts";
import type { TemplateBuilder } from "../template/builder.ts";
import { getAtt, ref } from "../template/intrinsics.ts";
import { DOMAIN_LOGICAL_IDS as IDS, logicalId } from "../template/logical-ids.ts";
import type { TemplateValue } from "../template/template.ts";
import { apiHostValue } from "./domain.ts";
import { type AliasRecord, aliasRecordSet, HTTPS_PORT, healthTarget, httpsHealthCheck } from "./route53.ts";

export function addFleetFailover(builder: TemplateBuilder, spec: AppSpec): void {
  const fleet = failoverFleet(spec);
  const domain = spec.domain;
  if (fleet === undefined || domain === undefined || spec.http === undefined) return;
  const owner = `fleet "${fleet.name}" behind ${domain.name}`;
  const fleetFirst = fleet.role === "primary";
  // A primary fleet may leave Lambda unchecked: a SECONDARY without a check is always healthy.
  const checked = addLambdaHealthCheck(builder, spec, owner);
  const lambda: AliasRecord = {
    setIdentifier: LAMBDA_SET_IDENTIFIER,
    // The record's own health check decides; the target (an API Gateway domain) has no health.
    target: {
      DNSName: getAtt(IDS.domainName, "RegionalDomainName"),
      HostedZoneId: getAtt(IDS.domainName, "RegionalHostedZoneId"),
      EvaluateTargetHealth: false,
    },
    failover: fleetFirst ? "SECONDARY" : "PRIMARY",
    ...(checked ? { healthCheckId: ref(IDS.apiHealthCheck) } : {}),
  };
  const loadBalancer = logicalId("fleetLoadBalancer", fleet.name);
  const server: AliasRecord = {
    setIdentifier: fleetSetIdentifier(fleet.name),
    target: {
      DNSName: getAtt(loadBalancer, "DNSName"),
      HostedZoneId: getAtt(loadBalancer, "CanonicalHostedZoneID"),
      EvaluateTargetHealth: true,
    },
    failover: fleetFirst ? "PRIMARY" : "SECONDARY",
  };
  addHttpsListener(builder, fleet.name, owner);
  builder.addResource(IDS.apiRecordSet, aliasRecordSet(domain, lambda), owner);
  builder.addResource(logicalId("fleetRecordSet", fleet.name), aliasRecordSet(domain, server), owner);
}

/** The Lambda API's health check and its output, when a function's health has route53. */
function addLambdaHealthCheck(builder: TemplateBuilder, spec: AppSpec, owner: string): boolean {
  const fn = route53HealthFunction(spec);
  const health = healthTarget(spec);
  if (fn === undefined || health === undefined) return false;
  builder.addResource(
    IDS.apiHealthCheck,
    httpsHealthCheck(
      `${resourcePrefix(spec)} ${spec.region} Lambda`,
      apiHostValue(),
      logicalId("healthCheckerIdParameter", fn.name),
      health,
    ),
    owner,
  );
  builder.addOutput(
    IDS.apiHealthCheck,
    { Description: "ID of the Route 53 health check of the Lambda API", Value: ref(IDS.apiHealthCheck) },
    owner,
  );
  return true;
}

/** The policy ELB recommends for HTTPS listeners (TLS 1.3, and 1.2 for older clients). */
const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The listener the domain's clients reach after a failover, and 443 opened on the load balancer's
 * security group (server-fleet-network.ts opens its HTTP port there).
 */
function addHttpsListener(builder: TemplateBuilder, fleet: string, owner: string): void {
  builder.addResource(
    logicalId("fleetHttpsListener", fleet),
    {
      Type: "AWS::ElasticLoadBalancingV2::Listener",
      Properties: {
        LoadBalancerArn: ref(logicalId("fleetLoadBalancer", fleet)),
        Port: HTTPS_PORT,
        Protocol: "HTTPS",
        SslPolicy: SSL_POLICY,
        Certificates: [{ CertificateArn: ref(IDS.certificate) }],
        DefaultActions: [{ Type: "forward", TargetGroupArn: ref(logicalId("fleetTargetGroup", fleet)) }],
      },
    },
    owner,
  );
  const group = builder.resource(logicalId("fleetLoadBalancerSecurityGroup", fleet));
  const properties = (group.Properties ?? {}) as Record<string, TemplateValue>;
  const ingress = Array.isArray(properties.SecurityGroupIngress) ? properties.SecurityGroupIngress : [];
  properties.SecurityGroupIngress = [
    ...ingress,
    { IpProtocol: "tcp", FromPort: HTTPS_PORT, ToPort: HTTPS_PORT, CidrIp: "0.0.0.0/0" },
    { IpProtocol: "tcp", FromPort: HTTPS_PORT, ToPort: HTTPS_PORT, CidrIpv6: "::/0" },
  ];
  group.Properties = properties;
}
