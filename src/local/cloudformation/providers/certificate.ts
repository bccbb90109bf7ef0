/**
 * AWS::CertificateManager::Certificate. Checked as ACM's RequestCertificate checks it; issued at
 * once: the local cloud does not simulate DNS (or email) validation, so the stack does not wait
 * for a validation record as it does on AWS. Ref is the certificate's ARN
 * (`arn:…:acm:<region>:<account>:certificate/<uuid>`), which CertificateArn also answers.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-certificatemanager-certificate.html
 * https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html
 */
import { randomUUID } from "node:crypto";
import { isDnsName } from "../../../model/dns-name.ts";
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { arnPrefix, constraintFailure, type Properties, requiredString, stringProp } from "./properties.ts";

const ROUTE53 = LIMITS.route53;
/**
 * RequestCertificate's DomainName pattern as ACM words it in its validation error: a DNS name of
 * two labels or more, optionally with one leading wildcard label. The check is model/dns-name.ts.
 */
const DOMAIN_PATTERN = String.raw`^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$`;
const VALIDATION_METHODS = ["EMAIL", "DNS"];
const KEY_ALGORITHMS = [
  "RSA_1024",
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "EC_prime256v1",
  "EC_secp384r1",
  "EC_secp521r1",
];

function checkDomain(name: string, field: string): void {
  if (name.length > ROUTE53.domainName.max) {
    constraintFailure(name, field, `Member must have length less than or equal to ${ROUTE53.domainName.max}`);
  }
  if (!isDnsName(name, { wildcard: true, multiLabel: true })) {
    constraintFailure(name, field, `Member must satisfy regular expression pattern: ${DOMAIN_PATTERN}`);
  }
}

function checkCertificate(properties: Properties, context: ResourceContext): void {
  const domain = requiredString(properties, "DomainName", context);
  checkDomain(domain, "domainName");
  // The first name is the certificate's Common Name, which X.509 caps at 64 characters.
  if (domain.length > ROUTE53.certificateCommonName.max) {
    throw new ResourceFailure(
      `The first domain name can be no longer than ${ROUTE53.certificateCommonName.max} characters. (Service: AWSCertificateManager; Status Code: 400; Error Code: ValidationException)`,
    );
  }
  const method = stringProp(properties, "ValidationMethod");
  if (method !== undefined && !VALIDATION_METHODS.includes(method)) {
    constraintFailure(method, "validationMethod", "Member must satisfy enum value set: [EMAIL, DNS]");
  }
  const algorithm = stringProp(properties, "KeyAlgorithm");
  if (algorithm !== undefined && !KEY_ALGORITHMS.includes(algorithm)) {
    constraintFailure(
      algorithm,
      "keyAlgorithm",
      `Member must satisfy enum value set: [${KEY_ALGORITHMS.join(", ")}]`,
    );
  }
  const alternatives = properties.SubjectAlternativeNames;
  const names = [domain, ...(Array.isArray(alternatives) ? alternatives.map(String) : [])];
  for (const name of names.slice(1)) checkDomain(name, "subjectAlternativeNames.member");
  const options = properties.DomainValidationOptions;
  for (const option of Array.isArray(options) ? options : []) {
    const named =
      typeof option === "object" && option !== null
        ? stringProp(option as Properties, "DomainName")
        : undefined;
    if (named === undefined) {
      throw new ResourceFailure(
        `Properties validation failed for resource ${context.logicalId} with message: #/DomainValidationOptions: required key [DomainName] not found`,
      );
    }
    if (!names.includes(named)) {
      throw new ResourceFailure(
        `DomainValidationOptions names ${named}, which is not the certificate's DomainName nor one of its SubjectAlternativeNames.`,
      );
    }
  }
}

export function certificateProvider() {
  return defineProvider("AWS::CertificateManager::Certificate", {
    create(properties, context) {
      checkCertificate(properties, context);
      const arn = `${arnPrefix(context, "acm")}:certificate/${randomUUID()}`;
      return { physicalId: arn, attributes: { CertificateArn: arn } };
    },
    update(current, properties, context) {
      checkCertificate(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
