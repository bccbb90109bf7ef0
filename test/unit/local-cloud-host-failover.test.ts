import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DeployedResource } from "../../src/local/cloud-host/deployed-resources.ts";
import { regionApp } from "../../src/local/cloud-host/region-app.ts";
import { globalTables, replicaTables } from "../../src/local/cloud-host/translate-global-tables.ts";
import { translateRoute53 } from "../../src/local/cloud-host/translate-route53.ts";

const ACCOUNT = "123456789012";

function resource(
  resourceType: string,
  logicalId: string,
  physicalId: string,
  properties: Record<string, unknown>,
  attributes: Record<string, unknown> = {},
): DeployedResource {
  return {
    stackName: "s",
    stackId: "arn:stack/s",
    logicalId,
    resourceType,
    physicalId,
    properties,
    attributes,
  };
}

const GLOBAL = resource(
  "AWS::DynamoDB::GlobalTable",
  "HelloGlobalTable",
  "app-hello",
  {
    TableName: "app-hello",
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "HelloKey", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "HelloKey", KeyType: "HASH" }],
    StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
    Replicas: [
      { Region: "us-east-1", DeletionProtectionEnabled: false },
      { Region: "us-west-2", DeletionProtectionEnabled: true },
    ],
  },
  { ReplicaRegions: ["us-east-1", "us-west-2"], StreamLabel: "2026-12-06T05:00:00.000" },
);

describe("sluice cloud across regions", () => {
  test("a global table becomes a table in each replica region, with that region's ARNs and the replica's settings", () => {
    const globals = globalTables(
      (region) => (region === "us-east-1" ? [GLOBAL] : []),
      ["us-east-1", "us-west-2"],
    );
    assert.deepEqual(
      globals.map((g) => [g.name, g.regions]),
      [["app-hello", ["us-east-1", "us-west-2"]]],
    );
    const [west] = replicaTables(globals, "us-west-2", ACCOUNT);
    assert.equal(west?.resourceType, "AWS::DynamoDB::Table");
    assert.equal(west?.attributes.Arn, `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/app-hello`);
    assert.equal(
      west?.attributes.StreamArn,
      `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/app-hello/stream/2026-12-06T05:00:00.000`,
    );
    assert.deepEqual(replicaTables(globals, "eu-west-1", ACCOUNT), [], "not a replica region");
    const table = regionApp(west ? [west] : [], { region: "us-west-2", accountId: ACCOUNT }).spec.tables?.[
      "app-hello"
    ];
    assert.equal(table?.global, true);
    assert.equal(table?.deletionProtection, true, "the replica's own deletion protection");
    assert.equal(table?.stream, "NEW_AND_OLD_IMAGES");
  });

  const apis = [
    { region: "us-east-1", apiId: "east123456", url: "http://127.0.0.1:4011" },
    { region: "us-west-2", apiId: "west123456", url: "http://127.0.0.1:4022" },
  ];
  const check = (id: string, host: string) =>
    resource("AWS::Route53::HealthCheck", `Check${id}`, id, {
      HealthCheckConfig: {
        Type: "HTTPS",
        FullyQualifiedDomainName: host,
        Port: 443,
        ResourcePath: "/health?healthCheckerId=s3cret",
        RequestInterval: 10,
        FailureThreshold: 2,
      },
    });

  test("health checks ping the API their host names: a loopback host:port, or an execute-api host by API id", () => {
    const data = translateRoute53(
      [
        { region: "us-east-1", resource: check("a", "127.0.0.1:4011") },
        { region: "us-east-1", resource: check("b", "west123456.execute-api.us-west-2.amazonaws.com") },
        { region: "us-east-1", resource: check("c", "example.org") },
      ],
      apis,
    );
    assert.deepEqual(data.checks, [
      {
        id: "a",
        url: "http://127.0.0.1:4011/health?healthCheckerId=s3cret",
        intervalSeconds: 10,
        failureThreshold: 2,
        region: "us-east-1",
      },
      {
        id: "b",
        url: "http://127.0.0.1:4022/health?healthCheckerId=s3cret",
        intervalSeconds: 10,
        failureThreshold: 2,
        region: "us-west-2",
      },
    ]);
    assert.equal(data.notes.length, 1);
    assert.match(data.notes[0] ?? "", /example\.org is not a deployed API/);
    assert.ok(!data.notes[0]?.includes("s3cret"), "a note never shows the checker's secret");
  });

  test("a failover record points at the regional domain name, and forwards to the API mapped to it", () => {
    const domain = resource(
      "AWS::ApiGatewayV2::DomainName",
      "ApiDomainName",
      "api.example.com",
      { DomainName: "api.example.com" },
      { RegionalDomainName: "d-aaaaaaaaaa.execute-api.us-west-2.localhost" },
    );
    const mapping = resource("AWS::ApiGatewayV2::ApiMapping", "ApiDomainMapping", "m1", {
      DomainName: "api.example.com",
      ApiId: "west123456",
      Stage: "$default",
    });
    const record = resource("AWS::Route53::RecordSet", "RecordSet", "api.example.com", {
      HostedZoneName: "example.com.",
      Name: "api.example.com.",
      Type: "A",
      SetIdentifier: "us-west-2",
      Failover: "SECONDARY",
      HealthCheckId: "b",
      AliasTarget: { DNSName: "d-aaaaaaaaaa.execute-api.us-west-2.localhost", HostedZoneId: "Z1" },
    });
    const data = translateRoute53(
      [
        { region: "us-west-2", resource: domain },
        { region: "us-west-2", resource: mapping },
        { region: "us-east-1", resource: record },
      ],
      apis,
    );
    assert.deepEqual(data.records, [
      {
        name: "api.example.com",
        setIdentifier: "us-west-2",
        region: "us-west-2",
        failover: "SECONDARY",
        healthCheckId: "b",
        target: { host: "d-aaaaaaaaaa.execute-api.us-west-2.localhost", url: "http://127.0.0.1:4022" },
      },
    ]);
    assert.deepEqual(data.zones, ["example.com"]);
  });
});
