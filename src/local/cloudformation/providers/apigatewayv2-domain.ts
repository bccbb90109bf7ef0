/**
 * AWS::ApiGatewayV2::DomainName and AWS::ApiGatewayV2::ApiMapping: an HTTP API's regional custom
 * domain. Ref of a domain name is the name; RegionalDomainName is a local host name,
 * `d-<id>.execute-api.<region>.localhost` (AWS's is under the partition's domain), which the
 * account's DNS server answers and which the host maps to the mapped API's server;
 * RegionalHostedZoneId is the local account's ID of that name's zone. Ref of a mapping is its id.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigatewayv2-domainname.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigatewayv2-apimapping.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html
 */
import { canonicalDnsName, isDnsName } from "../../../model/dns-name.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { LOWER_ALNUM, type Properties, randomChars, requiredString, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";
import { localHostedZoneId } from "./route53.ts";

/** The suffix of local host names: RFC 6761 reserves it for loopback, so nothing leaves the machine. */
export const LOCAL_DNS_SUFFIX = "localhost";

/** The zone local regional domain names of API Gateway are in, per region. */
export function regionalZone(region: string): string {
  return `execute-api.${region}.${LOCAL_DNS_SUFFIX}`;
}

const ENDPOINT_TYPES = ["REGIONAL", "EDGE"];
const SECURITY_POLICIES = ["TLS_1_0", "TLS_1_2"];

function checkDomainName(properties: Properties, context: ResourceContext): string {
  const name = canonicalDnsName(requiredString(properties, "DomainName", context));
  if (!isDnsName(name, { wildcard: true, multiLabel: true }))
    throw new ResourceFailure(`Invalid domain name identifier specified: ${name}`);
  const configurations = properties.DomainNameConfigurations;
  const list = Array.isArray(configurations) ? configurations : [];
  if (list.length !== 1) {
    throw new ResourceFailure(
      "DomainNameConfigurations must hold exactly one configuration (the regional endpoint's).",
    );
  }
  const configuration = list[0] as Properties;
  const type = stringProp(configuration, "EndpointType") ?? "REGIONAL";
  if (!ENDPOINT_TYPES.includes(type)) throw new ResourceFailure(`Invalid endpoint type: ${type}`);
  // HTTP APIs' custom domains are regional only.
  if (type !== "REGIONAL") {
    throw new ResourceFailure(
      "Only REGIONAL endpoints are supported for HTTP and WebSocket API domain names.",
    );
  }
  const policy = stringProp(configuration, "SecurityPolicy");
  if (policy !== undefined && !SECURITY_POLICIES.includes(policy)) {
    throw new ResourceFailure(`Invalid security policy: ${policy}`);
  }
  const certificate = stringProp(configuration, "CertificateArn");
  if (certificate === undefined) {
    throw new ResourceFailure("A regional domain name needs a CertificateArn.");
  }
  // "the certificate must be in the same Region as your API" (custom domain names for HTTP APIs).
  const parts = certificate.split(":");
  if (parts[2] !== "acm" || parts[3] !== context.region) {
    throw new ResourceFailure(
      `Certificate ${certificate} is not an ACM certificate in ${context.region}: a regional domain name takes a certificate of its own region.`,
    );
  }
  return name;
}

export function domainNameProvider(env: ProviderEnv) {
  const attributes = (name: string, host: string, context: ResourceContext) => ({
    RegionalDomainName: host,
    RegionalHostedZoneId: localHostedZoneId(regionalZone(context.region)),
    DomainNameArn: `arn:${context.partition}:apigateway:${context.region}::/domainnames/${name}`,
  });
  return defineProvider("AWS::ApiGatewayV2::DomainName", {
    create(properties, context) {
      const name = checkDomainName(properties, context);
      const host = `d-${(env.random ?? randomChars)(10, LOWER_ALNUM)}.${regionalZone(context.region)}`;
      return { physicalId: name, attributes: attributes(name, host, context) };
    },
    update(current, properties, context) {
      checkDomainName(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}

function checkMapping(properties: Properties, context: ResourceContext): void {
  requiredString(properties, "DomainName", context);
  requiredString(properties, "ApiId", context);
  requiredString(properties, "Stage", context);
  const key = stringProp(properties, "ApiMappingKey");
  if (key !== undefined && (key.startsWith("/") || key.endsWith("/"))) {
    throw new ResourceFailure(`Invalid API mapping key ${key}: it may not start or end with a slash.`);
  }
}

export function apiMappingProvider(env: ProviderEnv) {
  return defineProvider("AWS::ApiGatewayV2::ApiMapping", {
    create(properties, context) {
      checkMapping(properties, context);
      const id = (env.random ?? randomChars)(6, LOWER_ALNUM);
      return { physicalId: id, attributes: { ApiMappingId: id } };
    },
    update(current, properties, context) {
      checkMapping(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
