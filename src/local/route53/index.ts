/**
 * Route 53, locally: health checkers on the Sluice clock, the answer each record name gets by
 * routing policy (failover, latency) and health, a real DNS server (UDP and TCP) and a front door
 * HTTP proxy on 127.0.0.1. Data-driven: `sluice dev` feeds it from the definition, `sluice cloud`
 * from deployed AWS::Route53::HealthCheck and RecordSet resources.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { DnsZone } from "./dns-answer.ts";
export { dnsAnswer } from "./dns-answer.ts";
export type { DnsServer, DnsServerOptions } from "./dns-server.ts";
export { startDnsServer } from "./dns-server.ts";
export type { FailoverProxy, FailoverProxyOptions } from "./failover-proxy.ts";
export { startFailoverProxy } from "./failover-proxy.ts";
export type { PingTimeouts } from "./health-ping.ts";
export { chooseRecord } from "./record-choice.ts";
export type {
  HealthCheckConfig,
  HealthCheckStatus,
  PingResult,
  RecordConfig,
  Route53Event,
} from "./route53-config.ts";
export { endpointOf } from "./route53-config.ts";
export type { Route53EngineOptions } from "./route53-engine.ts";
export { Route53Engine } from "./route53-engine.ts";
