/**
 * The HTTP API's custom domain in one regional stack: an ACM certificate for `domain.name`
 * validated by DNS, a REGIONAL API Gateway domain name with it, and the mapping to the API's
 * stage. Its outputs (the regional target and its hosted zone, the API's own host) become the
 * global stack's parameters at deploy time: CloudFormation exports do not cross regions.
 *
 * Why the certificate is here and not in the global stack: a regional custom domain takes a
 * certificate "in the same Region as your API" (API Gateway, "Custom domain names for HTTP
 * APIs"), so every region needs its own; ACM adds the validation CNAME itself when
 * DomainValidationOptions names the hosted zone, and the same name in one account gets the same
 * CNAME in every region.
 *
 * The hosted zone is the stack's `HostedZoneId` parameter, which deploy looks up by name with
 * Route 53's ListHostedZonesByName (deploy/lookups.ts), so the definition names the zone and
 * never its ID. CloudFormation wants the bare `Z…` ID, not ListHostedZones' `/hostedzone/Z…`.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-certificatemanager-certificate.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-certificatemanager-certificate-domainvalidationoption.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigatewayv2-domainname.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigatewayv2-apimapping.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html
 */
import type { DomainSpec } from "../../model/app-spec.ts";
import type { TemplateBuilder } from "../template/builder.ts";
import { getAtt, ref } from "../template/intrinsics.ts";
import { API_LOGICAL_IDS, DOMAIN_LOGICAL_IDS as IDS } from "../template/logical-ids.ts";
import type { TemplateValue } from "../template/template.ts";

const OWNER = "the custom domain";

/** API Gateway's security policy for the domain: TLS 1.2, the only one HTTP APIs' domains take. */
const SECURITY_POLICY = "TLS_1_2";

export function addCustomDomain(builder: TemplateBuilder, domain: DomainSpec): void {
  builder.addParameter(
    IDS.hostedZoneParameter,
    {
      Type: "String",
      MinLength: 1,
      Description: `ID of the Route 53 hosted zone ${domain.hostedZone} (deploy looks it up by name)`,
    },
    OWNER,
  );
  builder.addResource(
    IDS.certificate,
    {
      Type: "AWS::CertificateManager::Certificate",
      Properties: {
        DomainName: domain.name,
        ValidationMethod: "DNS",
        DomainValidationOptions: [{ DomainName: domain.name, HostedZoneId: ref(IDS.hostedZoneParameter) }],
      },
    },
    OWNER,
  );
  builder.addResource(
    IDS.domainName,
    {
      Type: "AWS::ApiGatewayV2::DomainName",
      Properties: {
        DomainName: domain.name,
        DomainNameConfigurations: [
          { CertificateArn: ref(IDS.certificate), EndpointType: "REGIONAL", SecurityPolicy: SECURITY_POLICY },
        ],
      },
    },
    OWNER,
  );
  builder.addResource(
    IDS.apiMapping,
    {
      Type: "AWS::ApiGatewayV2::ApiMapping",
      Properties: {
        ApiId: ref(API_LOGICAL_IDS.httpApi),
        DomainName: ref(IDS.domainName),
        Stage: ref(API_LOGICAL_IDS.httpStage),
      },
    },
    OWNER,
  );
  builder.addOutput(
    IDS.targetOutput,
    {
      Description: `Regional target of ${domain.name}: what its alias record points at`,
      Value: getAtt(IDS.domainName, "RegionalDomainName"),
    },
    OWNER,
  );
  builder.addOutput(
    IDS.zoneOutput,
    {
      Description: `Hosted zone of the regional target of ${domain.name} (the alias record's HostedZoneId)`,
      Value: getAtt(IDS.domainName, "RegionalHostedZoneId"),
    },
    OWNER,
  );
  // The API's own host (`<id>.execute-api.<region>.<suffix>`), read from ApiEndpoint so it is
  // right wherever the stack runs: the Route 53 health check calls it, not the custom domain,
  // whose answer is the very thing the check decides.
  builder.addOutput(
    IDS.apiHostOutput,
    {
      Description: "Host of the HTTP API's own endpoint, which the Route 53 health check calls",
      Value: apiHostValue(),
    },
    OWNER,
  );
}

/** The HTTP API's own host: ApiEndpoint (`https://<host>`) without its scheme. */
export function apiHostValue(): TemplateValue {
  return { "Fn::Select": [2, { "Fn::Split": ["/", getAtt(API_LOGICAL_IDS.httpApi, "ApiEndpoint")] }] };
}
