/**
 * The AWS SDK clients a deploy uses, for one region. Credentials always come from the SDK's
 * default chain (environment, shared profile, SSO, container/instance roles): never from the
 * definition. `endpointUrl` points every client at one endpoint (the local cloud), so the same
 * code runs against AWS and against `sluice cloud`.
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

/** https://docs.aws.amazon.com/general/latest/gr/r53.html: Route 53's endpoint is us-east-1's. */
const ROUTE53_REGION = "us-east-1";

export interface ClientOptions {
  readonly region: string;
  /** One endpoint for every service, e.g. `http://127.0.0.1:4566`. @default AWS's endpoints */
  readonly endpointUrl?: string;
}

export interface AwsClients {
  readonly region: string;
  readonly endpointUrl: string | undefined;
  readonly cloudFormation: CloudFormationClient;
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
  readonly sqs: SQSClient;
  readonly sts: STSClient;
  readonly logs: CloudWatchLogsClient;
  /** Reads how many items a table holds before a change would delete it. */
  readonly dynamodb: DynamoDBClient;
  /**
   * Route 53, a global service: hosted zone lookups and health check status. Signed for
   * us-east-1, where its control plane is, whatever the clients' region.
   */
  readonly route53: Route53Client;
  /**
   * ELBv2, for a server fleet's target health, which deploy waits on (fleet-health.ts): made on
   * first use, like ec2(), as only apps with load-balanced fleets need it.
   */
  elbv2(): Promise<ElasticLoadBalancingV2Client>;
  /**
   * EC2, for a server fleet's default VPC and subnets (fleet-network.ts): made on first use, as
   * its SDK package takes most of a second to load and only apps with fleets need it.
   */
  ec2(): Promise<EC2Client>;
  destroy(): void;
}

export function createClients(options: ClientOptions): AwsClients {
  const common = {
    region: options.region,
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
  };
  const clients = {
    cloudFormation: new CloudFormationClient(common),
    // A custom endpoint has no per-bucket host names, so buckets go in the path.
    s3: new S3Client({ ...common, forcePathStyle: options.endpointUrl !== undefined }),
    lambda: new LambdaClient(common),
    sqs: new SQSClient(common),
    sts: new STSClient(common),
    logs: new CloudWatchLogsClient(common),
    dynamodb: new DynamoDBClient(common),
    route53: new Route53Client({ ...common, region: ROUTE53_REGION }),
  };
  let ec2: Promise<EC2Client> | undefined;
  let elbv2: Promise<ElasticLoadBalancingV2Client> | undefined;
  return {
    region: options.region,
    endpointUrl: options.endpointUrl,
    ...clients,
    ec2() {
      ec2 ??= import("@aws-sdk/client-ec2").then(({ EC2Client }) => new EC2Client(common));
      return ec2;
    },
    elbv2() {
      elbv2 ??= import("@aws-sdk/client-elastic-load-balancing-v2").then(
        ({ ElasticLoadBalancingV2Client }) => new ElasticLoadBalancingV2Client(common),
      );
      return elbv2;
    },
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
      void ec2?.then((client) => client.destroy());
      void elbv2?.then((client) => client.destroy());
    },
  };
}

/** The account the credentials belong to (STS GetCallerIdentity). */
export async function accountId(clients: AwsClients): Promise<string> {
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  if (identity.Account === undefined) throw new Error("GetCallerIdentity returned no Account");
  return identity.Account;
}
