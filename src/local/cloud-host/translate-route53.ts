/**
 * The account's deployed Route 53 resources as the local Route 53 engine's data: each HTTP(S)
 * health check with the URL its checker pings, each record with the regional name DNS answers
 * and the API server the front door forwards to. Route 53 is global, so every region's stacks
 * count. Hosts are mapped to the region's API servers (which all listen on 127.0.0.1, told apart
 * by port): `<api-id>.execute-api.<region>.<suffix>` by the API's id, an API Gateway regional
 * domain name (`d-….execute-api.<region>.localhost`) through its API mapping, and a loopback
 * `host:port` (what a local ApiEndpoint's host is) as it is. A check of any other host is left
 * out with a note: the local cloud pings nothing off this machine.
 */
import { healthCheckSettings, recordSettings } from "../cloudformation/index.ts";
import type { HealthCheckConfig, RecordConfig } from "../route53/index.ts";
import type { DeployedResource } from "./deployed-resources.ts";
import { str } from "./deployed-resources.ts";

/** Where a deployed API's server answers. */
export interface ApiLocation {
  readonly region: string;
  readonly apiId: string;
  readonly url: string;
}

export interface Route53Data {
  readonly checks: HealthCheckConfig[];
  readonly records: RecordConfig[];
  /** Zones the records are in (ListHostedZonesByName without a name lists them). */
  readonly zones: string[];
  readonly notes: string[];
}

const EXECUTE_API = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\./;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):(\d+)$/;
const ROUTED_TYPES = new Set(["A", "AAAA", "CNAME"]);

/** `resources`: every region's deployed resources, with the region their stack is in. */
export function translateRoute53(
  resources: readonly { readonly region: string; readonly resource: DeployedResource }[],
  apis: readonly ApiLocation[],
): Route53Data {
  const notes: string[] = [];
  const of = (type: string) => resources.filter((r) => r.resource.resourceType === type);
  const domains = of("AWS::ApiGatewayV2::DomainName");
  const mappings = of("AWS::ApiGatewayV2::ApiMapping");

  /** The API server a host names, and its region. */
  const locate = (host: string): { url: string; region?: string } | undefined => {
    const name = host.toLowerCase().replace(/\.$/, "");
    const loopback = LOOPBACK.exec(name);
    if (loopback) {
      const url = `http://${name}`;
      const port = loopback[2];
      const api = apis.find((a) => new URL(a.url).port === port);
      return api ? { url: api.url, region: api.region } : { url };
    }
    const executeApi = EXECUTE_API.exec(name);
    if (executeApi) {
      const api = apis.find((a) => a.apiId === executeApi[1] && a.region === executeApi[2]);
      return api ? { url: api.url, region: api.region } : undefined;
    }
    const domain = domains.find((d) => str(d.resource.attributes.RegionalDomainName) === name);
    if (domain === undefined) return undefined;
    const mapping = mappings.find(
      (m) =>
        m.region === domain.region &&
        m.resource.properties.DomainName === domain.resource.physicalId &&
        (m.resource.properties.ApiMappingKey ?? "") === "",
    );
    const apiId = str(mapping?.resource.properties.ApiId);
    const api = apis.find((a) => a.apiId === apiId && a.region === domain.region);
    return api ? { url: api.url, region: api.region } : undefined;
  };

  const checks: HealthCheckConfig[] = [];
  for (const { region, resource } of of("AWS::Route53::HealthCheck")) {
    const settings = healthCheckSettings(resource.properties, resource);
    const found = locate(settings.host);
    if (found === undefined) {
      notes.push(
        `health check ${resource.physicalId}: ${settings.host} is not a deployed API of this account, so it is not pinged`,
      );
      continue;
    }
    const path = settings.resourcePath.startsWith("/") ? settings.resourcePath : `/${settings.resourcePath}`;
    checks.push({
      id: resource.physicalId,
      // Local API servers speak plain HTTP, whatever the check's type says.
      url: `${found.url.replace(/\/$/, "")}${path}`,
      intervalSeconds: settings.intervalSeconds,
      failureThreshold: settings.failureThreshold,
      region: found.region ?? region,
    });
  }

  const records: RecordConfig[] = [];
  const zones = new Set<string>();
  for (const { region, resource } of of("AWS::Route53::RecordSet")) {
    const record = recordSettings(resource.properties, resource);
    zones.add(record.zone);
    if (!ROUTED_TYPES.has(record.type) || record.target === undefined) continue;
    const found = locate(record.target);
    if (found === undefined) {
      notes.push(
        `record ${record.name} (${record.setIdentifier ?? "simple"}): ${record.target} is not a deployed API`,
      );
      continue;
    }
    records.push({
      name: record.name,
      setIdentifier: record.setIdentifier ?? record.name,
      region: found.region ?? record.region ?? region,
      ...(record.failover ? { failover: record.failover } : {}),
      ...(record.region ? { latencyRegion: record.region } : {}),
      ...(record.healthCheckId ? { healthCheckId: record.healthCheckId } : {}),
      target: { host: record.target, url: found.url },
    });
  }
  return { checks, records, zones: [...zones], notes };
}
