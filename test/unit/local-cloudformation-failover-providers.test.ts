import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { replacesOn } from "../../src/local/cloudformation/change-set/property-diff.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { localHostedZoneId } from "../../src/local/cloudformation/providers/route53.ts";
import { type ResourceContext, ResourceFailure } from "../../src/local/cloudformation/resource-provider.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import { tempDir } from "../support/temp.ts";

const tmp = tempDir("sluice-failover-providers-");
after(() => tmp.cleanup());
const clock = new ManualClock(Date.parse("2026-12-06T05:00:00.123Z"));
const db = openStore(join(tmp.dir, "account.sqlite"));
after(() => db.close());
const tables = new Map<string, Set<string>>([["eu-west-1", new Set(["taken"])]]);
const deleted: string[] = [];
const providers = createProviders({
  s3: new S3Store(db, clock),
  queues: { exists: () => false, delete: () => {} },
  tables: {
    exists: (region, name) => tables.get(region)?.has(name) ?? false,
    delete: (region, name) => void deleted.push(`${region}/${name}`),
  },
  codeDir: join(tmp.dir, "code"),
  allocatePort: async () => 45_678,
  versions: { next: () => 1 },
  random: (length) => "x".repeat(length),
});

function context(resourceType: string, region = "us-east-1", logicalId = "Thing"): ResourceContext {
  return {
    region,
    accountId: "123456789012",
    partition: "aws",
    stackName: "hello-global",
    stackId: `arn:aws:cloudformation:${region}:123456789012:stack/hello-global/1`,
    logicalId,
    resourceType,
    endpointUrl: "http://127.0.0.1:4599",
    clock,
  };
}

function provider(type: string) {
  const found = providers(type);
  assert.ok(found, `a provider for ${type}`);
  return found;
}

const create = (type: string, properties: Record<string, unknown>, region?: string) =>
  provider(type).create(properties, context(type, region));

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail("expected a ResourceFailure"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ResourceFailure, String(error));
  return error.message;
}

const GLOBAL_TABLE = {
  TableName: "hello-hello",
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [{ AttributeName: "HelloKey", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "HelloKey", KeyType: "HASH" }],
  StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
  Replicas: [{ Region: "us-east-1" }, { Region: "us-west-2" }],
};

const HEALTH_CHECK = {
  HealthCheckConfig: {
    Type: "HTTPS",
    FullyQualifiedDomainName: "abcde12345.execute-api.us-east-1.amazonaws.com",
    ResourcePath: "/health?healthCheckerId=secret",
    RequestInterval: 30,
    FailureThreshold: 3,
  },
};

describe("failover resource providers", () => {
  test("a global table's Ref is its name; Arn and StreamArn are the stack region's replica's, TableId a UUID", async () => {
    const made = await create("AWS::DynamoDB::GlobalTable", GLOBAL_TABLE);
    assert.equal(made.physicalId, "hello-hello");
    assert.equal(made.attributes.Arn, "arn:aws:dynamodb:us-east-1:123456789012:table/hello-hello");
    assert.equal(
      made.attributes.StreamArn,
      "arn:aws:dynamodb:us-east-1:123456789012:table/hello-hello/stream/2026-12-06T05:00:00.123",
    );
    assert.match(
      String(made.attributes.TableId),
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    assert.deepEqual(made.attributes.ReplicaRegions, ["us-east-1", "us-west-2"]);
  });

  test("a global table's Replicas must hold the stack's region, each region once", async () => {
    assert.match(
      await failure(
        create("AWS::DynamoDB::GlobalTable", { ...GLOBAL_TABLE, Replicas: [{ Region: "us-west-2" }] }),
      ),
      /Replicas must contain the region the stack is deployed in \(us-east-1\)/,
    );
    assert.match(
      await failure(
        create("AWS::DynamoDB::GlobalTable", {
          ...GLOBAL_TABLE,
          Replicas: [{ Region: "us-east-1" }, { Region: "us-east-1" }],
        }),
      ),
      /more than once/,
    );
    assert.match(
      await failure(create("AWS::DynamoDB::GlobalTable", { ...GLOBAL_TABLE, Replicas: [] })),
      /expected minimum item count: 1/,
    );
  });

  test("a global table with several replicas needs a stream, and its shape follows CreateTable's rules", async () => {
    const { StreamSpecification: _stream, ...noStream } = GLOBAL_TABLE;
    assert.match(
      await failure(create("AWS::DynamoDB::GlobalTable", noStream)),
      /StreamSpecification must be specified/,
    );
    assert.match(
      await failure(
        create("AWS::DynamoDB::GlobalTable", {
          ...GLOBAL_TABLE,
          KeySchema: [{ AttributeName: "Missing", KeyType: "HASH" }],
        }),
      ),
      /Some index key attributes are not defined in AttributeDefinitions/,
    );
    // GlobalTable's BillingMode defaults to PROVISIONED, which needs write capacity settings.
    const { BillingMode: _billing, ...provisioned } = GLOBAL_TABLE;
    assert.match(
      await failure(create("AWS::DynamoDB::GlobalTable", provisioned)),
      /WriteProvisionedThroughputSettings must be specified/,
    );
  });

  test("a global table whose name is taken in any replica region fails as AlreadyExists", async () => {
    const message = await failure(
      create("AWS::DynamoDB::GlobalTable", {
        ...GLOBAL_TABLE,
        TableName: "taken",
        Replicas: [{ Region: "us-east-1" }, { Region: "eu-west-1" }],
      }),
    );
    assert.match(
      message,
      /^Resource of type 'AWS::DynamoDB::GlobalTable' with identifier 'taken' already exists/,
    );
  });

  test("removing a replica deletes that region's table; deleting the global table deletes every replica", async () => {
    const table = provider("AWS::DynamoDB::GlobalTable");
    const made = await create("AWS::DynamoDB::GlobalTable", GLOBAL_TABLE);
    const current = { ...made, properties: GLOBAL_TABLE };
    deleted.length = 0;
    const narrowed = { ...GLOBAL_TABLE, Replicas: [{ Region: "us-east-1" }] };
    const updated = await table.update(current, narrowed, context("AWS::DynamoDB::GlobalTable"));
    assert.deepEqual(deleted, ["us-west-2/hello-hello"]);
    assert.equal(updated.attributes.StreamArn, made.attributes.StreamArn, "the stream keeps its label");
    assert.equal(updated.attributes.TableId, made.attributes.TableId);
    deleted.length = 0;
    await table.delete(current, context("AWS::DynamoDB::GlobalTable"));
    assert.deepEqual(deleted, ["us-east-1/hello-hello", "us-west-2/hello-hello"]);
  });

  test("a health check's Ref and HealthCheckId are one UUID", async () => {
    const made = await create("AWS::Route53::HealthCheck", HEALTH_CHECK);
    assert.match(made.physicalId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(made.attributes, { HealthCheckId: made.physicalId });
  });

  test("a health check's interval, threshold, type and path are checked as Route 53 checks them", async () => {
    const withConfig = (config: Record<string, unknown>) => ({
      HealthCheckConfig: { ...HEALTH_CHECK.HealthCheckConfig, ...config },
    });
    assert.equal(
      await failure(create("AWS::Route53::HealthCheck", withConfig({ FailureThreshold: 11 }))),
      "1 validation error detected: Value '11' at 'healthCheckConfig.failureThreshold' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
    assert.match(
      await failure(create("AWS::Route53::HealthCheck", withConfig({ FailureThreshold: 0 }))),
      /greater than or equal to 1$/,
    );
    assert.match(
      await failure(create("AWS::Route53::HealthCheck", withConfig({ RequestInterval: 20 }))),
      /10 or 30/,
    );
    assert.match(
      await failure(create("AWS::Route53::HealthCheck", withConfig({ Type: "PING" }))),
      /Member must satisfy enum value set: \[HTTP, HTTPS,/,
    );
    assert.match(
      await failure(create("AWS::Route53::HealthCheck", withConfig({ ResourcePath: `/${"a".repeat(255)}` }))),
      /length less than or equal to 255/,
    );
    assert.match(
      await failure(create("AWS::Route53::HealthCheck", withConfig({ FullyQualifiedDomainName: undefined }))),
      /FullyQualifiedDomainName or IPAddress is required/,
    );
    assert.match(
      await failure(create("AWS::Route53::HealthCheck", {})),
      /required key \[HealthCheckConfig\]/,
    );
  });

  // Route 53 cannot change them in place, so CloudFormation's schema makes them create-only:
  // a new interval (the definition's route53.interval) replaces the check, as on AWS.
  test("a new Type, RequestInterval or MeasureLatency replaces a health check; FailureThreshold updates it", async () => {
    const check = provider("AWS::Route53::HealthCheck");
    const made = await create("AWS::Route53::HealthCheck", HEALTH_CHECK);
    const current = { ...made, properties: HEALTH_CHECK };
    const config = HEALTH_CHECK.HealthCheckConfig;
    for (const changed of [{ RequestInterval: 10 }, { Type: "HTTP" }, { MeasureLatency: true }]) {
      const after = { HealthCheckConfig: { ...config, ...changed } };
      assert.ok(
        replacesOn("HealthCheckConfig", check.replaceOn, HEALTH_CHECK, after),
        JSON.stringify(changed),
      );
    }
    const stricter = { HealthCheckConfig: { ...HEALTH_CHECK.HealthCheckConfig, FailureThreshold: 1 } };
    assert.equal(replacesOn("HealthCheckConfig", check.replaceOn, HEALTH_CHECK, stricter), false);
    const updated = await check.update(current, stricter, context("AWS::Route53::HealthCheck"));
    assert.equal(updated.physicalId, made.physicalId);
  });

  const RECORD = {
    HostedZoneId: localHostedZoneId("example.com"),
    Name: "api.example.com.",
    Type: "A",
    SetIdentifier: "us-east-1",
    Failover: "PRIMARY",
    HealthCheckId: "abc",
    AliasTarget: {
      DNSName: "d-xxxxxxxxxx.execute-api.us-east-1.localhost",
      HostedZoneId: "Z123",
      EvaluateTargetHealth: false,
    },
  };

  test("a record set's Ref is its name; it must lie in its hosted zone", async () => {
    const made = await create("AWS::Route53::RecordSet", RECORD);
    assert.equal(made.physicalId, "api.example.com");
    assert.equal(
      await failure(create("AWS::Route53::RecordSet", { ...RECORD, Name: "api.other.org" })),
      `Invalid request: RRSet with DNS name api.other.org. is not permitted in zone ${RECORD.HostedZoneId}.`,
    );
    const byName = await create("AWS::Route53::RecordSet", {
      ...RECORD,
      HostedZoneId: undefined,
      HostedZoneName: "example.com.",
    });
    assert.equal(byName.physicalId, "api.example.com");
    assert.match(
      await failure(create("AWS::Route53::RecordSet", { ...RECORD, HostedZoneName: "example.com." })),
      /Exactly one of \[HostedZoneId, HostedZoneName\]/,
    );
  });

  test("a routed record set needs a SetIdentifier, a valid Failover, and no TTL beside an alias", async () => {
    const { SetIdentifier: _id, ...unnamed } = RECORD;
    assert.match(await failure(create("AWS::Route53::RecordSet", unnamed)), /needs a SetIdentifier/);
    assert.match(
      await failure(create("AWS::Route53::RecordSet", { ...RECORD, Failover: "TERTIARY" })),
      /enum value set: \[PRIMARY, SECONDARY\]/,
    );
    assert.match(
      await failure(create("AWS::Route53::RecordSet", { ...RECORD, TTL: "60" })),
      /alias record takes no TTL/,
    );
    const latency = await create("AWS::Route53::RecordSet", {
      ...RECORD,
      Failover: undefined,
      Region: "us-west-2",
    });
    assert.equal(latency.physicalId, "api.example.com");
  });

  test("a certificate is issued at once: Ref and CertificateArn are its ACM ARN", async () => {
    const made = await create("AWS::CertificateManager::Certificate", {
      DomainName: "api.example.com",
      ValidationMethod: "DNS",
      DomainValidationOptions: [{ DomainName: "api.example.com", HostedZoneId: "Z1" }],
    });
    assert.match(made.physicalId, /^arn:aws:acm:us-east-1:123456789012:certificate\/[0-9a-f-]{36}$/);
    assert.equal(made.attributes.CertificateArn, made.physicalId);
    assert.match(
      await failure(
        create("AWS::CertificateManager::Certificate", {
          DomainName: "api.example.com",
          ValidationMethod: "PHONE",
        }),
      ),
      /enum value set: \[EMAIL, DNS\]/,
    );
    assert.match(
      await failure(
        create("AWS::CertificateManager::Certificate", { DomainName: `${"a".repeat(60)}.example.com` }),
      ),
      /no longer than 64 characters/,
    );
  });

  test("a regional domain name answers a local regional host and zone; its certificate must be the region's", async () => {
    const certificate = "arn:aws:acm:us-west-2:123456789012:certificate/1";
    const made = await create(
      "AWS::ApiGatewayV2::DomainName",
      {
        DomainName: "api.example.com",
        DomainNameConfigurations: [
          { CertificateArn: certificate, EndpointType: "REGIONAL", SecurityPolicy: "TLS_1_2" },
        ],
      },
      "us-west-2",
    );
    assert.equal(made.physicalId, "api.example.com");
    assert.equal(made.attributes.RegionalDomainName, "d-xxxxxxxxxx.execute-api.us-west-2.localhost");
    assert.equal(made.attributes.RegionalHostedZoneId, localHostedZoneId("execute-api.us-west-2.localhost"));
    assert.match(
      await failure(
        create("AWS::ApiGatewayV2::DomainName", {
          DomainName: "api.example.com",
          DomainNameConfigurations: [{ CertificateArn: certificate, EndpointType: "REGIONAL" }],
        }),
      ),
      /not an ACM certificate in us-east-1/,
    );
    const mapping = await create("AWS::ApiGatewayV2::ApiMapping", {
      DomainName: "api.example.com",
      ApiId: "abcde12345",
      Stage: "$default",
    });
    assert.deepEqual(mapping, { physicalId: "xxxxxx", attributes: { ApiMappingId: "xxxxxx" } });
    assert.match(
      await failure(create("AWS::ApiGatewayV2::ApiMapping", { DomainName: "api.example.com", ApiId: "a" })),
      /required key \[Stage\]/,
    );
  });

  test("an alarm's Ref is its name and Arn its ARN; its period and operator are checked", async () => {
    const alarm = {
      AlarmName: "hello-us-east-1-health",
      Namespace: "AWS/Route53",
      MetricName: "HealthCheckStatus",
      Dimensions: [{ Name: "HealthCheckId", Value: "abc" }],
      Statistic: "Minimum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "LessThanThreshold",
      AlarmActions: ["arn:aws:sns:us-east-1:123456789012:alerts"],
    };
    const made = await create("AWS::CloudWatch::Alarm", alarm);
    assert.equal(made.physicalId, "hello-us-east-1-health");
    assert.equal(
      made.attributes.Arn,
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:hello-us-east-1-health",
    );
    assert.match(
      await failure(create("AWS::CloudWatch::Alarm", { ...alarm, Period: 45 })),
      /10, 20, 30 or a multiple of 60/,
    );
    assert.match(
      await failure(create("AWS::CloudWatch::Alarm", { ...alarm, ComparisonOperator: "Below" })),
      /comparisonOperator/,
    );
    assert.match(
      await failure(create("AWS::CloudWatch::Alarm", { ...alarm, ComparisonOperator: undefined })),
      /required key \[ComparisonOperator\]/,
    );
  });

  test("a topic's Ref is its ARN; an email subscription's Ref is an ARN under the topic", async () => {
    const topic = await create("AWS::SNS::Topic", { TopicName: "alerts" });
    assert.deepEqual(topic, {
      physicalId: "arn:aws:sns:us-east-1:123456789012:alerts",
      attributes: { TopicArn: "arn:aws:sns:us-east-1:123456789012:alerts", TopicName: "alerts" },
    });
    const generated = await create("AWS::SNS::Topic", {});
    assert.match(String(generated.attributes.TopicName), /^hello-global-Thing-x{12}$/);
    assert.match(
      await failure(create("AWS::SNS::Topic", { TopicName: "a b" })),
      /Topic Name must be made up of/,
    );
    const subscription = await create("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.com",
      TopicArn: topic.physicalId,
    });
    assert.match(subscription.physicalId, /^arn:aws:sns:us-east-1:123456789012:alerts:[0-9a-f-]{36}$/);
    assert.equal(subscription.attributes.Arn, subscription.physicalId);
    assert.match(
      await failure(create("AWS::SNS::Subscription", { Protocol: "pigeon", TopicArn: topic.physicalId })),
      /does not support this protocol string: pigeon/,
    );
    assert.match(
      await failure(
        create("AWS::SNS::Subscription", {
          Protocol: "email",
          Endpoint: "nobody",
          TopicArn: topic.physicalId,
        }),
      ),
      /Email address/,
    );
  });
});
