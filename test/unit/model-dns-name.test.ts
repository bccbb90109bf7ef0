/**
 * The one host-name rule (src/model/dns-name.ts), and that every place Sluice checks a DNS name
 * follows it: the definition's domain, the local ACM certificate and API Gateway custom domain
 * providers, and the local Route 53 API. Each keeps its own AWS error wording.
 */
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { handleRoute53 } from "../../src/local/cloud-host/route53-api.ts";
import { domainNameProvider } from "../../src/local/cloudformation/providers/apigatewayv2-domain.ts";
import { certificateProvider } from "../../src/local/cloudformation/providers/certificate.ts";
import type { ResourceContext } from "../../src/local/cloudformation/resource-provider.ts";
import { canonicalDnsName, dnsNameProblem, isDnsName } from "../../src/model/dns-name.ts";

const long63 = "a".repeat(63);
/** 4 × 63 + 3 dots = 255: over 253 with every label valid. */
const tooLong = [long63, long63, long63, long63].join(".");
const NAMES = [
  "api.example.com",
  "API.Example.COM",
  "example",
  "a.b",
  "x-1.example.com",
  "-x.example.com",
  "x-.example.com",
  "a..b.com",
  ".example.com",
  "exa_mple.com",
  "exa mple.com",
  `${long63}.com`,
  `${long63}a.com`,
  tooLong,
  "*.example.com",
  "*.com",
  "a.*.example.com",
  "",
];

describe("model/dns-name", () => {
  test("canonical names are lowercase without the root's dot", () => {
    assert.equal(canonicalDnsName("API.Example.COM."), "api.example.com");
    assert.equal(canonicalDnsName("api.example.com"), "api.example.com");
  });

  test("labels of letters, digits and inner hyphens, 1–63 each, 253 in all", () => {
    assert.equal(dnsNameProblem("api.example.com"), undefined);
    assert.equal(dnsNameProblem("API.Example.COM"), undefined);
    assert.equal(dnsNameProblem("example"), undefined);
    assert.deepEqual(dnsNameProblem("a..b"), { kind: "empty-label", label: "" });
    assert.deepEqual(dnsNameProblem("example.com."), { kind: "empty-label", label: "" });
    assert.deepEqual(dnsNameProblem(`${long63}a.com`), { kind: "long-label", label: `${long63}a` });
    assert.deepEqual(dnsNameProblem("x-.com"), { kind: "edge-hyphen", label: "x-" });
    assert.deepEqual(dnsNameProblem("exa_mple.com"), { kind: "bad-character", label: "exa_mple" });
    assert.deepEqual(dnsNameProblem(tooLong), { kind: "too-long", length: 255 });
    assert.deepEqual(dnsNameProblem("*.example.com"), { kind: "bad-character", label: "*" });
  });

  test("the options: a leading wildcard label, and two labels or more with a top label of two", () => {
    assert.equal(isDnsName("*.example.com", { wildcard: true }), true);
    assert.equal(isDnsName("a.*.example.com", { wildcard: true }), false);
    assert.deepEqual(dnsNameProblem("example", { multiLabel: true }), { kind: "one-label" });
    assert.deepEqual(dnsNameProblem("*.com", { wildcard: true, multiLabel: true }), { kind: "one-label" });
    assert.deepEqual(dnsNameProblem("a.b", { multiLabel: true }), { kind: "short-top-label", label: "b" });
  });
});

const clock = new ManualClock(Date.parse("2026-12-06T05:00:00Z"));
function context(resourceType: string): ResourceContext {
  return {
    region: "us-east-1",
    accountId: "123456789012",
    partition: "aws",
    stackName: "names",
    stackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/names/1",
    logicalId: "Thing",
    resourceType,
    endpointUrl: "http://127.0.0.1:4599",
    clock,
  };
}

async function accepted(run: () => unknown): Promise<boolean> {
  try {
    await run();
    return true;
  } catch {
    return false;
  }
}

describe("every DNS name check follows the model's rule", () => {
  test("ACM certificates: wildcard allowed, two labels or more; the error still quotes ACM's pattern", async () => {
    const provider = certificateProvider();
    for (const name of NAMES) {
      // Refused for its length first, with its own message: above 64, a certificate's Common Name.
      if (name.length > 64) continue;
      const ok = await accepted(() =>
        provider.create({ DomainName: name }, context("AWS::CertificateManager::Certificate")),
      );
      assert.equal(ok, isDnsName(name, { wildcard: true, multiLabel: true }), JSON.stringify(name));
    }
    await assert.rejects(
      async () =>
        provider.create({ DomainName: "a..b.com" }, context("AWS::CertificateManager::Certificate")),
      /Member must satisfy regular expression pattern: \^\(\\\*\\\.\)\?/,
    );
  });

  test("API Gateway custom domain names: the same, on the lowercased name, 253 characters at most", async () => {
    const provider = domainNameProvider({} as never);
    for (const name of NAMES.filter((n) => n !== "")) {
      const error = await Promise.resolve()
        .then(() =>
          provider.create(
            { DomainName: name, DomainNameConfigurations: [] },
            context("AWS::ApiGatewayV2::DomainName"),
          ),
        )
        .then(
          () => undefined,
          (e: Error) => e.message,
        );
      // Past the name check, the empty configuration list fails: the name itself was accepted.
      const nameAccepted = !String(error).startsWith("Invalid domain name identifier");
      assert.equal(
        nameAccepted,
        isDnsName(canonicalDnsName(name), { wildcard: true, multiLabel: true }),
        JSON.stringify(name),
      );
    }
  });

  test("the local Route 53 API's ListHostedZonesByName: any host name, with or without the root's dot", async () => {
    for (const name of NAMES.filter((n) => n !== "")) {
      let status = 0;
      const req = { method: "GET", url: `/2013-04-01/hostedzonesbyname?dnsname=${encodeURIComponent(name)}` };
      const res = {
        writeHead(code: number) {
          status = code;
          return this;
        },
        end() {
          return this;
        },
      };
      const account = { hasHealthCheck: () => false, healthCheckStatus: () => undefined, zones: () => [] };
      await handleRoute53(account, req as IncomingMessage, res as unknown as ServerResponse, "r");
      assert.equal(status === 200, isDnsName(canonicalDnsName(name)), JSON.stringify(name));
    }
  });
});
