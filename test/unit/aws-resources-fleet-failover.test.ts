/**
 * Synth of a one-region hybrid app (issue 19): a fleet with a `role` behind the app's domain gets
 * Route 53 failover records beside the Lambda API's, in the app's own stack (no global stack),
 * and a `primary` fleet makes the served functions' SQS mappings stand by. Schema-valid.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { synthesize } from "../../src/aws/synth.ts";
import { synthGlobal } from "../../src/aws/synth-global.ts";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import type { Template, TemplateValue } from "../../src/aws/template/template.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

type Definition = Parameters<typeof normaliseApp>[0];

function hybrid(role: "failover" | "primary" | undefined): Definition {
  return {
    name: "hybrid",
    region: "eu-west-1",
    domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" },
    queues: { jobs: {}, audit: {} },
    functions: {
      api: {
        handler: "src/api.handler",
        http: ["ANY /{proxy+}"],
        health: { path: "/health", route53: { interval: "10 seconds", failureThreshold: 2 } },
      },
      worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
      // Not served by the fleet: Lambda keeps consuming its queue whatever the role.
      auditor: { handler: "src/auditor.handler", consumes: { queue: "audit" } },
    },
    servers: { web: { functions: ["api", "worker"], ...(role ? { role } : {}) } },
  } as Definition;
}

async function synth(definition: Definition): Promise<Template> {
  return synthesize(normaliseApp(definition, { accountId: "123456789012" }));
}

function props(template: Template, id: string): Record<string, TemplateValue> {
  const found = template.Resources[id];
  assert.ok(found, `resource ${id} exists; have ${Object.keys(template.Resources).join(", ")}`);
  return (found.Properties ?? {}) as Record<string, TemplateValue>;
}

function ofType(template: Template, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);
}

const LAMBDA_TARGET = {
  DNSName: { "Fn::GetAtt": ["ApiDomainName", "RegionalDomainName"] },
  HostedZoneId: { "Fn::GetAtt": ["ApiDomainName", "RegionalHostedZoneId"] },
  EvaluateTargetHealth: false,
};
const FLEET_TARGET = {
  DNSName: { "Fn::GetAtt": ["WebFleetLoadBalancer", "DNSName"] },
  HostedZoneId: { "Fn::GetAtt": ["WebFleetLoadBalancer", "CanonicalHostedZoneID"] },
  EvaluateTargetHealth: true,
};

describe("synth of a fleet behind the domain", () => {
  test("role \"failover\": Lambda's record is PRIMARY with its health check, the fleet's load balancer SECONDARY with target health", async () => {
    const template = await synth(hybrid("failover"));
    assert.deepEqual(ofType(template, "AWS::Route53::RecordSet").sort(), [
      "ApiRecordSet",
      "WebFleetRecordSet",
    ]);
    assert.deepEqual(props(template, "ApiRecordSet"), {
      HostedZoneId: { Ref: "HostedZoneId" },
      Name: "api.example.com.",
      Type: "A",
      SetIdentifier: "lambda",
      AliasTarget: LAMBDA_TARGET,
      Failover: "PRIMARY",
      HealthCheckId: { Ref: "ApiHealthCheck" },
    });
    assert.deepEqual(props(template, "WebFleetRecordSet"), {
      HostedZoneId: { Ref: "HostedZoneId" },
      Name: "api.example.com.",
      Type: "A",
      SetIdentifier: "fleet-web",
      AliasTarget: FLEET_TARGET,
      Failover: "SECONDARY",
    });
    // The check calls the API's own host (not the domain it decides) with the function's secret.
    const check = props(template, "ApiHealthCheck").HealthCheckConfig as Record<string, TemplateValue>;
    assert.deepEqual(check, {
      Type: "HTTPS",
      FullyQualifiedDomainName: {
        "Fn::Select": [2, { "Fn::Split": ["/", { "Fn::GetAtt": ["HttpApi", "ApiEndpoint"] }] }],
      },
      Port: 443,
      EnableSNI: true,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own syntax, not a template.
      ResourcePath: { "Fn::Sub": "/health?healthCheckerId=${ApiHealthCheckerId}" },
      RequestInterval: 10,
      FailureThreshold: 2,
    });
    assert.ok(
      template.Parameters?.ApiHealthCheckerId,
      "the function's checker secret is this stack's parameter",
    );
    // Every queue mapping polls: Lambda stays the primary consumer.
    for (const id of ofType(template, "AWS::Lambda::EventSourceMapping"))
      assert.equal(props(template, id).Enabled, true, id);
  });

  test('role "primary": the fleet is PRIMARY, Lambda SECONDARY, and the served functions\' SQS mappings stand by', async () => {
    const template = await synth(hybrid("primary"));
    assert.equal(props(template, "WebFleetRecordSet").Failover, "PRIMARY");
    assert.deepEqual(props(template, "WebFleetRecordSet").AliasTarget, FLEET_TARGET);
    assert.equal(props(template, "ApiRecordSet").Failover, "SECONDARY");
    assert.deepEqual(props(template, "ApiRecordSet").HealthCheckId, { Ref: "ApiHealthCheck" });
    assert.equal(props(template, "WorkerEventSourceMapping").Enabled, false);
    assert.equal(props(template, "AuditorEventSourceMapping").Enabled, true);
  });

  test("the fleet's load balancer answers the domain over HTTPS with the domain's certificate, 443 open", async () => {
    const template = await synth(hybrid("failover"));
    assert.deepEqual(props(template, "WebFleetHttpsListener"), {
      LoadBalancerArn: { Ref: "WebFleetLoadBalancer" },
      Port: 443,
      Protocol: "HTTPS",
      SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      Certificates: [{ CertificateArn: { Ref: "ApiCertificate" } }],
      DefaultActions: [{ Type: "forward", TargetGroupArn: { Ref: "WebFleetTargetGroup" } }],
    });
    const ingress = props(template, "WebFleetLoadBalancerSecurityGroup").SecurityGroupIngress as {
      FromPort: number;
      CidrIp?: string;
      CidrIpv6?: string;
    }[];
    const https = ingress.filter((rule) => rule.FromPort === 443);
    assert.deepEqual(
      https.map((rule) => rule.CidrIp ?? rule.CidrIpv6),
      ["0.0.0.0/0", "::/0"],
    );
  });

  test("a primary fleet with no Route 53 check on Lambda: Lambda's SECONDARY record has no health check", async () => {
    const definition = hybrid("primary") as { functions: { api: { health?: unknown } } };
    definition.functions.api.health = { path: "/health" };
    const template = await synth(definition as Definition);
    assert.deepEqual(ofType(template, "AWS::Route53::HealthCheck"), []);
    assert.equal(props(template, "ApiRecordSet").Failover, "SECONDARY");
    assert.equal(props(template, "ApiRecordSet").HealthCheckId, undefined);
    assert.equal(props(template, "WebFleetRecordSet").Failover, "PRIMARY");
    assert.deepEqual(await validateTemplate(template), []);
  });

  test("the templates are valid against AWS's resource schemas and the least-privilege check", async () => {
    for (const role of ["failover", "primary"] as const) {
      const template = await synth(hybrid(role));
      assert.deepEqual(await validateTemplate(template), [], role);
      assert.deepEqual(checkTemplatePolicies(template), [], role);
    }
  });

  test("a one-region app keeps its records in its own stack: no global stack", () => {
    assert.equal(synthGlobal(normaliseApp(hybrid("failover"), { accountId: "123456789012" })), undefined);
  });

  test("a fleet without a role adds no records and leaves every mapping enabled", async () => {
    const definition = hybrid(undefined) as { domain?: unknown; functions: { api: { health?: unknown } } };
    // Without a role the domain has nothing to fail over between: drop it (and its check).
    delete definition.domain;
    definition.functions.api.health = { path: "/health" };
    const template = await synth(definition as Definition);
    assert.deepEqual(ofType(template, "AWS::Route53::RecordSet"), []);
    assert.deepEqual(ofType(template, "AWS::Route53::HealthCheck"), []);
    for (const id of ofType(template, "AWS::Lambda::EventSourceMapping"))
      assert.equal(props(template, id).Enabled, true, id);
  });
});
