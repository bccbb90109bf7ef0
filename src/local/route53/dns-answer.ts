/**
 * The answer to one DNS query, as the local Route 53 gives it. For the domain name: a CNAME to
 * the chosen record's regional host and, for that host, an A record 127.0.0.1 (every local
 * region listens on loopback, told apart by port) and a TXT record naming the region and the
 * URL its API answers on. On AWS the domain's records are alias A records whose answer is the
 * regional endpoint's addresses; the CNAME shows which region was chosen (docs/fidelity.md).
 * TTL 60 s: an alias record takes its target's TTL, and Route 53 recommends 60 s or less for
 * records with health checks (LIMITS.route53.healthCheckedRecordTtl).
 * A name with no record is answered as Route 53's name servers answer it: inside a hosted zone
 * the server serves, NXDOMAIN (or NOERROR with no answer for a name that exists only as a parent
 * of records, RFC 8020) with the zone's SOA in the authority section so resolvers can cache the
 * negative answer (RFC 2308 §3); outside every zone, REFUSED and not authoritative, as an
 * authoritative-only server answers for zones it does not serve (RFC 1035 §4.1.1 "for policy
 * reasons"; what awsdns name servers answer: https://serverfault.com/questions/892622).
 * The SOA is the one Route 53 creates in each zone, with this server as its primary name server:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html
 * Pure: a parsed request in, a response packet out (or nothing for a packet that is itself a
 * response, so two servers cannot bounce answers between them).
 */
import { isIPv4 } from "node:net";
import { Packet, type Resource } from "dns2";
import { canonicalDnsName } from "../../model/dns-name.ts";
import { LIMITS } from "../../model/limits.ts";
import type { RecordConfig } from "./route53-config.ts";

/** What the DNS server asks of the engine. */
export interface DnsZone {
  resolve(name: string): RecordConfig | undefined;
  /** Every record, chosen now or not. */
  records(): readonly RecordConfig[];
  /** The hosted zones served (lowercase, no trailing dot): names outside them are REFUSED. */
  hostedZones(): readonly string[];
}

const TTL = LIMITS.route53.healthCheckedRecordTtl.default;
const LOOPBACK = "127.0.0.1";
/** The SOA's primary name server: this server, which listens on loopback. */
const SOA_PRIMARY = "localhost";
const SOA = {
  ttl: LIMITS.route53.soaRecordTtl.default,
  refresh: LIMITS.route53.soaRefresh.default,
  retry: LIMITS.route53.soaRetry.default,
  expiration: LIMITS.route53.soaExpire.default,
  minimum: LIMITS.route53.soaMinimum.default,
};
const OPCODE_QUERY = 0;
const { TYPE, CLASS } = Packet;
/** Response codes, RFC 1035 §4.1.1 (dns2 has them at run time but does not type them). */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/**
 * The UDP payload this server's OPT record offers (RFC 6891 §6.2.3): 512, the size of the
 * longest query the server reads (dns-server.ts).
 */
const EDNS_PAYLOAD = 512;
/** RFC 6891 §9: an EDNS version the server does not implement; 16 = extended RCODE 1 over 0. */
const BADVERS_EXTENDED = 1;

export function dnsAnswer(request: Packet, zone: DnsZone): Packet | undefined {
  if (request.header.qr === 1) return undefined;
  const response = Packet.createResponseFromRequest(request);
  response.header.aa = 1;
  response.header.ra = 0;
  // RFC 6891 §7: a request with an OPT record gets one back; §6.1.3: only version 0 exists.
  const opt = request.additionals.find((r) => r.type === TYPE.EDNS);
  if (opt !== undefined) {
    const version = (opt.ttl >>> 16) & 0xff;
    const reply = Packet.Resource.EDNS([]);
    reply.class = EDNS_PAYLOAD;
    reply.ttl = version === 0 ? 0 : (BADVERS_EXTENDED << 24) >>> 0;
    response.additionals.push(reply);
    if (version !== 0) return response;
  }
  // RFC 1035 §4.1.1: a kind of query the server does not support is answered "not implemented".
  if (request.header.opcode !== OPCODE_QUERY) return withCode(response, RCODE.NOTIMP);
  const question = request.questions[0];
  if (request.questions.length !== 1 || question === undefined) return withCode(response, RCODE.FORMERR);
  if (question.class !== CLASS.IN && question.class !== CLASS.ANY) return withCode(response, RCODE.REFUSED);
  const name = canonicalDnsName(question.name);
  const record = zone.resolve(name);
  if (record !== undefined) {
    response.answers.push(...domainAnswers(question.name, question.type, record));
    return response;
  }
  const target = targetNamed(name, zone);
  if (target !== undefined) {
    response.answers.push(...hostAnswers(question.name, question.type, target));
    return response;
  }
  return zoneAnswer(response, name, question.type, zone);
}

/** A name with no record: NXDOMAIN or no data inside a served zone, REFUSED outside them all. */
function zoneAnswer(response: Packet, name: string, type: number, zone: DnsZone): Packet {
  const apex = zoneOf(name, zone.hostedZones());
  if (apex === undefined) {
    response.header.aa = 0;
    return withCode(response, RCODE.REFUSED);
  }
  const soa = soaRecord(apex);
  if (name === apex && (type === TYPE.SOA || type === TYPE.ANY)) {
    response.answers.push(soa);
    return response;
  }
  // RFC 2308 §3: the SOA's TTL in a negative answer is the lesser of its TTL and its minimum.
  response.authorities.push(Object.assign(soaRecord(apex), { ttl: Math.min(SOA.ttl, SOA.minimum) }));
  return name === apex || hasDescendant(name, zone) ? response : withCode(response, RCODE.NXDOMAIN);
}

/** The longest served zone `name` is in (the zone itself or below it). */
function zoneOf(name: string, zones: readonly string[]): string | undefined {
  let found: string | undefined;
  for (const raw of zones) {
    const apex = canonicalDnsName(raw);
    if ((name === apex || name.endsWith(`.${apex}`)) && apex.length > (found?.length ?? -1)) found = apex;
  }
  return found;
}

/** Whether a record's name (or its regional host) lies below `name`: `name` then exists, empty. */
function hasDescendant(name: string, zone: DnsZone): boolean {
  return zone
    .records()
    .some((r) => [r.name, r.target.host].some((n) => canonicalDnsName(n).endsWith(`.${name}`)));
}

function soaRecord(apex: string): Resource {
  return resource(apex, TYPE.SOA, {
    primary: SOA_PRIMARY,
    admin: `hostmaster.${apex}`,
    serial: 1,
    refresh: SOA.refresh,
    retry: SOA.retry,
    expiration: SOA.expiration,
    minimum: SOA.minimum,
    ttl: SOA.ttl,
  });
}

/** The domain name: a CNAME to the region's host, then what was asked of that host. */
function domainAnswers(asked: string, type: number, record: RecordConfig): Resource[] {
  const host = record.target.host;
  // A target given as an address has no name to point a CNAME at: answer the address itself.
  if (isIPv4(host)) return hostAnswers(asked, type, record);
  const cname = resource(asked, TYPE.CNAME, { domain: host });
  if (type === TYPE.CNAME) return [cname];
  return [cname, ...hostAnswers(host, type, record)];
}

/** A regional host: its loopback address and, as TXT, the region and its URL. */
function hostAnswers(name: string, type: number, record: RecordConfig): Resource[] {
  const address = isIPv4(record.target.host) ? record.target.host : LOOPBACK;
  const a = resource(name, TYPE.A, { address });
  const txt = resource(name, TYPE.TXT, { data: [`region=${record.region}`, `url=${record.target.url}`] });
  if (type === TYPE.A) return [a];
  if (type === TYPE.TXT) return [txt];
  if (type === TYPE.ANY) return [a, txt];
  return [];
}

/** The record whose regional host is `name`, whether or not DNS chooses it now. */
function targetNamed(name: string, zone: DnsZone): RecordConfig | undefined {
  return zone.records().find((r) => canonicalDnsName(r.target.host) === name);
}

function resource(name: string, type: number, data: Partial<Resource>): Resource {
  return Object.assign(new Packet.Resource(name, type, CLASS.IN, TTL), data);
}

function withCode(response: Packet, rcode: number): Packet {
  response.header.rcode = rcode;
  return response;
}
