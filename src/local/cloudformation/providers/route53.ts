/**
 * AWS::Route53::HealthCheck and AWS::Route53::RecordSet. Route 53 is global: the host feeds every
 * deployed check and record, whatever stack holds it, to the account's Route 53 engine (health
 * checkers on the clock, the DNS server). A check's Ref (and HealthCheckId) is a UUID, as Route 53
 * assigns; a record set's Ref is its name.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-healthcheck.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-recordset.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
 */
import { createHash, randomUUID } from "node:crypto";
import { canonicalDnsName } from "../../../model/dns-name.ts";
import { LIMITS } from "../../../model/limits.ts";
import { isAwsRegion } from "../../../model/regions.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  constraintFailure,
  numberProp,
  objectProp,
  type Properties,
  requiredString,
  stringProp,
} from "./properties.ts";

const ROUTE53 = LIMITS.route53;
const CHECK_TYPES = [
  "HTTP",
  "HTTPS",
  "HTTP_STR_MATCH",
  "HTTPS_STR_MATCH",
  "TCP",
  "CALCULATED",
  "CLOUDWATCH_METRIC",
  "RECOVERY_CONTROL",
];
/** The types the local checkers run: an HTTP(S) request whose 2xx or 3xx status is success. */
const LOCAL_CHECK_TYPES = ["HTTP", "HTTPS"];
const RECORD_TYPES = [
  "A",
  "AAAA",
  "CAA",
  "CNAME",
  "DS",
  "HTTPS",
  "MX",
  "NAPTR",
  "NS",
  "PTR",
  "SOA",
  "SPF",
  "SRV",
  "SSHFP",
  "SVCB",
  "TLSA",
  "TXT",
];

/** A health check's configuration, Route 53's defaults applied. */
export interface HealthCheckSettings {
  readonly type: string;
  readonly host: string;
  readonly port: number;
  readonly resourcePath: string;
  readonly intervalSeconds: 10 | 30;
  readonly failureThreshold: number;
}

/** Reads and checks HealthCheckConfig as Route 53's CreateHealthCheck does. */
export function healthCheckSettings(
  properties: Properties,
  context: Pick<ResourceContext, "logicalId">,
): HealthCheckSettings {
  const config = objectProp(properties, "HealthCheckConfig");
  if (config === undefined) {
    throw new ResourceFailure(
      `Properties validation failed for resource ${context.logicalId} with message: #: required key [HealthCheckConfig] not found`,
    );
  }
  const type = requiredString(config, "Type", context);
  if (!CHECK_TYPES.includes(type)) {
    constraintFailure(
      type,
      "healthCheckConfig.type",
      `Member must satisfy enum value set: [${CHECK_TYPES.join(", ")}]`,
    );
  }
  if (!LOCAL_CHECK_TYPES.includes(type)) {
    throw new ResourceFailure(`The local cloud runs HTTP and HTTPS health checks only; got ${type}.`);
  }
  const host = stringProp(config, "FullyQualifiedDomainName") ?? stringProp(config, "IPAddress");
  if (host === undefined || host === "") {
    throw new ResourceFailure(
      "Invalid parameter : FullyQualifiedDomainName or IPAddress is required for a health check of type HTTP or HTTPS.",
    );
  }
  const port = integer(config, "Port", "healthCheckConfig.port") ?? (type === "HTTPS" ? 443 : 80);
  if (port < 1 || port > 65_535) {
    constraintFailure(
      port,
      "healthCheckConfig.port",
      port < 1
        ? "Member must have value greater than or equal to 1"
        : "Member must have value less than or equal to 65535",
    );
  }
  const resourcePath = stringProp(config, "ResourcePath") ?? "";
  if (resourcePath.length > ROUTE53.resourcePath.max) {
    constraintFailure(
      resourcePath,
      "healthCheckConfig.resourcePath",
      `Member must have length less than or equal to ${ROUTE53.resourcePath.max}`,
    );
  }
  const interval =
    integer(config, "RequestInterval", "healthCheckConfig.requestInterval") ??
    ROUTE53.requestInterval.default;
  if (!ROUTE53.requestInterval.values.includes(String(interval) as "10" | "30")) {
    constraintFailure(
      interval,
      "healthCheckConfig.requestInterval",
      interval < ROUTE53.requestInterval.min
        ? `Member must have value greater than or equal to ${ROUTE53.requestInterval.min}`
        : interval > ROUTE53.requestInterval.max
          ? `Member must have value less than or equal to ${ROUTE53.requestInterval.max}`
          : "RequestInterval must be 10 or 30",
    );
  }
  const threshold =
    integer(config, "FailureThreshold", "healthCheckConfig.failureThreshold") ??
    ROUTE53.failureThreshold.default;
  if (threshold < ROUTE53.failureThreshold.min || threshold > ROUTE53.failureThreshold.max) {
    constraintFailure(
      threshold,
      "healthCheckConfig.failureThreshold",
      threshold < ROUTE53.failureThreshold.min
        ? `Member must have value greater than or equal to ${ROUTE53.failureThreshold.min}`
        : `Member must have value less than or equal to ${ROUTE53.failureThreshold.max}`,
    );
  }
  return {
    type,
    host,
    port,
    resourcePath,
    intervalSeconds: interval === 10 ? 10 : 30,
    failureThreshold: threshold,
  };
}

function integer(properties: Properties, key: string, field: string): number | undefined {
  const value = numberProp(properties, key, () =>
    constraintFailure(properties[key], field, "Member must be an integer"),
  );
  if (value !== undefined && !Number.isInteger(value))
    constraintFailure(value, field, "Member must be an integer");
  return value;
}

export function healthCheckProvider() {
  return defineProvider("AWS::Route53::HealthCheck", {
    create(properties, context) {
      healthCheckSettings(properties, context);
      const id = randomUUID();
      return { physicalId: id, attributes: { HealthCheckId: id } };
    },
    // A new Type, RequestInterval or MeasureLatency never gets here: Route 53 cannot change
    // them, so CloudFormation replaces the check (schema-facts.ts).
    update(current, properties, context) {
      healthCheckSettings(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}

/**
 * The local account's ID of the public hosted zone for `zone`. The local account holds every
 * zone it is asked about (nobody can register a domain locally), each under an ID derived from
 * its name, so deploys and records agree on it without a CreateHostedZone.
 */
export function localHostedZoneId(zone: string): string {
  const digest = createHash("sha256").update(canonicalDnsName(zone)).digest();
  let id = "Z";
  for (const byte of digest.subarray(0, 20)) id += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[byte % 32];
  return id;
}

/** The zone of `name` whose local ID is `zoneId`: one of its parent names, or the name itself. */
function zoneOfId(name: string, zoneId: string): string | undefined {
  const labels = canonicalDnsName(name).split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    const zone = labels.slice(i).join(".");
    if (localHostedZoneId(zone) === zoneId.replace(/^\/hostedzone\//, "")) return zone;
  }
  return undefined;
}

/** A record set as the host's Route 53 reads it. */
export interface RecordSettings {
  readonly name: string;
  readonly zone: string;
  readonly type: string;
  readonly setIdentifier?: string;
  readonly failover?: "PRIMARY" | "SECONDARY";
  readonly region?: string;
  readonly healthCheckId?: string;
  /** The alias target's DNS name, or the first resource record's value. */
  readonly target?: string;
}

export function recordSettings(
  properties: Properties,
  context: Pick<ResourceContext, "logicalId">,
): RecordSettings {
  const name = canonicalDnsName(requiredString(properties, "Name", context));
  const type = requiredString(properties, "Type", context);
  if (!RECORD_TYPES.includes(type)) {
    constraintFailure(type, "type", `Member must satisfy enum value set: [${RECORD_TYPES.join(", ")}]`);
  }
  const zoneId = stringProp(properties, "HostedZoneId");
  const zoneName = stringProp(properties, "HostedZoneName");
  if ((zoneId === undefined) === (zoneName === undefined)) {
    throw new ResourceFailure("Exactly one of [HostedZoneId, HostedZoneName] must be specified.");
  }
  const zone = zoneName !== undefined ? canonicalDnsName(zoneName) : zoneOfId(name, zoneId ?? "");
  if (zone === undefined || (name !== zone && !name.endsWith(`.${zone}`))) {
    throw new ResourceFailure(
      `Invalid request: RRSet with DNS name ${name}. is not permitted in zone ${zone ?? zoneId}.`,
    );
  }
  const alias = objectProp(properties, "AliasTarget");
  const records = properties.ResourceRecords;
  if (alias !== undefined) {
    if (records !== undefined || properties.TTL !== undefined) {
      throw new ResourceFailure("Invalid request: an alias record takes no TTL and no ResourceRecords.");
    }
    requiredString(alias, "DNSName", context);
    requiredString(alias, "HostedZoneId", context);
  } else if (!Array.isArray(records) || records.length === 0) {
    throw new ResourceFailure("Invalid request: ResourceRecords is required unless AliasTarget is given.");
  }
  const setIdentifier = stringProp(properties, "SetIdentifier");
  const failover = stringProp(properties, "Failover");
  if (failover !== undefined && failover !== "PRIMARY" && failover !== "SECONDARY") {
    constraintFailure(failover, "failover", "Member must satisfy enum value set: [PRIMARY, SECONDARY]");
  }
  const region = stringProp(properties, "Region");
  if (region !== undefined && !isAwsRegion(region)) {
    constraintFailure(region, "region", "Member must be an AWS Region that supports latency records");
  }
  const routed = failover !== undefined || region !== undefined || properties.Weight !== undefined;
  if (routed && setIdentifier === undefined) {
    throw new ResourceFailure(
      "Invalid request: a record with a routing policy (Failover, Region, Weight) needs a SetIdentifier.",
    );
  }
  if (!routed && setIdentifier !== undefined) {
    throw new ResourceFailure(
      "Invalid request: a SetIdentifier needs a routing policy (Failover, Region, Weight).",
    );
  }
  const target =
    alias !== undefined
      ? canonicalDnsName(String(alias.DNSName))
      : Array.isArray(records)
        ? String(records[0])
        : undefined;
  const healthCheckId = stringProp(properties, "HealthCheckId");
  return {
    name,
    zone,
    type,
    ...(setIdentifier === undefined ? {} : { setIdentifier }),
    ...(failover === undefined ? {} : { failover: failover as "PRIMARY" | "SECONDARY" }),
    ...(region === undefined ? {} : { region }),
    ...(healthCheckId === undefined ? {} : { healthCheckId }),
    ...(target === undefined ? {} : { target }),
  };
}

export function recordSetProvider() {
  const provision = (properties: Properties, context: ResourceContext) => {
    const record = recordSettings(properties, context);
    return { physicalId: record.name, attributes: {} };
  };
  return defineProvider("AWS::Route53::RecordSet", {
    create: provision,
    update: (_current, properties, context) => provision(properties, context),
  });
}
