/**
 * Facts from AWS's CloudFormation resource schemas (the registry schemas, as
 * `@aws-cdk/aws-service-spec` ships them): each type's createOnlyProperties (a change replaces
 * the resource) and the property that names it. test/unit/cloud-providers-schema.test.ts checks
 * this table against the schemas, so it cannot drift.
 */
export interface TypeFacts {
  readonly replaceOn: readonly string[];
  readonly nameProperty?: string;
}

export const TYPE_FACTS = {
  "AWS::SQS::Queue": { replaceOn: ["FifoQueue", "QueueName"], nameProperty: "QueueName" },
  "AWS::SQS::QueuePolicy": { replaceOn: [] },
  "AWS::DynamoDB::Table": {
    replaceOn: ["ImportSourceSpecification", "TableName", "KeySchema"],
    nameProperty: "TableName",
  },
  "AWS::Logs::LogGroup": { replaceOn: ["LogGroupName"], nameProperty: "LogGroupName" },
  "AWS::IAM::Role": { replaceOn: ["Path", "RoleName"], nameProperty: "RoleName" },
  "AWS::Lambda::Function": {
    replaceOn: ["FunctionName", "PackageType", "TenancyConfig"],
    nameProperty: "FunctionName",
  },
  "AWS::Lambda::EventSourceMapping": {
    replaceOn: [
      "StartingPosition",
      "SelfManagedEventSource",
      "EventSourceArn",
      "SelfManagedKafkaEventSourceConfig",
      "AmazonManagedKafkaEventSourceConfig",
      "StartingPositionTimestamp",
    ],
  },
  "AWS::Lambda::EventInvokeConfig": { replaceOn: ["FunctionName", "Qualifier"] },
  "AWS::Lambda::Permission": {
    replaceOn: [
      "FunctionName",
      "Action",
      "EventSourceToken",
      "FunctionUrlAuthType",
      "SourceArn",
      "SourceAccount",
      "PrincipalOrgID",
      "Principal",
      "InvokedViaFunctionUrl",
    ],
  },
  "AWS::Lambda::Version": {
    replaceOn: ["CodeSha256", "Description", "FunctionName", "ProvisionedConcurrencyConfig", "RuntimePolicy"],
  },
  "AWS::Lambda::Alias": { replaceOn: ["FunctionName", "Name"] },
  "AWS::ApplicationAutoScaling::ScalableTarget": {
    replaceOn: ["ResourceId", "ServiceNamespace", "ScalableDimension"],
  },
  "AWS::ApiGatewayV2::Api": { replaceOn: ["ProtocolType"] },
  "AWS::ApiGatewayV2::Stage": { replaceOn: ["StageName", "ApiId"] },
  "AWS::ApiGatewayV2::Integration": { replaceOn: ["ApiId"] },
  "AWS::ApiGatewayV2::Route": { replaceOn: ["ApiId"] },
  "AWS::Events::EventBus": { replaceOn: ["EventSourceName", "Name"], nameProperty: "Name" },
  "AWS::Events::Rule": { replaceOn: ["EventBusName", "Name"], nameProperty: "Name" },
  "AWS::Scheduler::Schedule": { replaceOn: ["Name"], nameProperty: "Name" },
  "AWS::S3::Bucket": {
    replaceOn: ["BucketName", "ObjectLockEnabled", "BucketNamespace", "BucketNamePrefix"],
    nameProperty: "BucketName",
  },
  "AWS::S3::BucketPolicy": { replaceOn: ["Bucket"] },
} as const satisfies Record<string, TypeFacts>;

export type SupportedType = keyof typeof TYPE_FACTS;
