/**
 * The one rule for DNS host names, used wherever Sluice reads one: the definition's domain
 * (validate/failover.ts), and the local cloud's Route 53, ACM and API Gateway custom domain
 * checks, each of which words its own AWS error around the problem found here.
 *
 * A host name is dot-separated labels of letters, digits and hyphens, a hyphen never first or
 * last in a label (RFC 1123 §2.1), each label 1–63 characters and the whole name at most 253
 * (LIMITS.route53.domainLabel, LIMITS.route53.domainName). Names compare case-insensitively,
 * with or without the root's trailing dot (canonicalDnsName).
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
 * https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html
 */
import { LIMITS } from "./limits.ts";

const NAME = LIMITS.route53.domainName;
const LABEL = LIMITS.route53.domainLabel;
const LDH_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const WILDCARD = "*.";

export interface DnsNameOptions {
  /** Allow one leading `*.` label (ACM certificates, API Gateway custom domain names). */
  readonly wildcard?: boolean;
  /**
   * Require at least two labels, the last of two characters or more, as ACM's DomainName pattern
   * does (API Gateway's custom domain names take the same): `localhost` and `a.b` are refused.
   */
  readonly multiLabel?: boolean;
}

/** What is wrong with a name; `label` is the first label at fault. */
export type DnsNameProblem =
  | { readonly kind: "too-long"; readonly length: number }
  | { readonly kind: "one-label" }
  | { readonly kind: "short-top-label"; readonly label: string }
  | { readonly kind: "empty-label"; readonly label: "" }
  | { readonly kind: "long-label"; readonly label: string }
  | { readonly kind: "edge-hyphen"; readonly label: string }
  | { readonly kind: "bad-character"; readonly label: string };

/** A DNS name as Route 53 compares names: lowercase, without the root's trailing dot. */
export function canonicalDnsName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/**
 * Why `name` is not a host name, or undefined when it is. Case is ignored; a trailing dot is not
 * (it is an empty last label): callers that accept the root's dot pass the canonicalDnsName.
 */
export function dnsNameProblem(name: string, options: DnsNameOptions = {}): DnsNameProblem | undefined {
  const lower = name.toLowerCase();
  if (lower.length > NAME.max) return { kind: "too-long", length: lower.length };
  const rest = options.wildcard && lower.startsWith(WILDCARD) ? lower.slice(WILDCARD.length) : lower;
  const labels = rest.split(".");
  if (options.multiLabel && labels.length < 2) return { kind: "one-label" };
  const top = labels.at(-1) ?? "";
  if (options.multiLabel && top.length === 1) return { kind: "short-top-label", label: top };
  for (const label of labels) {
    if (label === "") return { kind: "empty-label", label };
    if (label.length > LABEL.max) return { kind: "long-label", label };
    if (LDH_LABEL.test(label)) continue;
    if (/^[a-z0-9-]+$/.test(label)) return { kind: "edge-hyphen", label };
    return { kind: "bad-character", label };
  }
  return undefined;
}

/** Whether `name` is a host name (see dnsNameProblem). */
export function isDnsName(name: string, options: DnsNameOptions = {}): boolean {
  return dnsNameProblem(name, options) === undefined;
}
