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
  "AWS::DynamoDB::GlobalTable": {
    replaceOn: ["TableName", "KeySchema", "LocalSecondaryIndexes"],
    nameProperty: "TableName",
  },
  // Nested create-only paths (property-diff.ts reads `A.B`): Route 53 cannot change these.
  "AWS::Route53::HealthCheck": {
    replaceOn: [
      "HealthCheckConfig.Type",
      "HealthCheckConfig.RequestInterval",
      "HealthCheckConfig.MeasureLatency",
    ],
  },
  "AWS::Route53::RecordSet": { replaceOn: ["HostedZoneId", "HostedZoneName", "Name"] },
  "AWS::CertificateManager::Certificate": {
    replaceOn: [
      "CertificateAuthorityArn",
      "DomainName",
      "DomainValidationOptions",
      "KeyAlgorithm",
      "SubjectAlternativeNames",
      "ValidationMethod",
      "CertificateExport",
    ],
  },
  "AWS::ApiGatewayV2::DomainName": { replaceOn: ["DomainName"] },
  "AWS::ApiGatewayV2::ApiMapping": { replaceOn: ["DomainName"] },
  "AWS::CloudWatch::Alarm": { replaceOn: ["AlarmName"], nameProperty: "AlarmName" },
  "AWS::SNS::Topic": { replaceOn: ["FifoTopic", "TopicName"], nameProperty: "TopicName" },
  "AWS::SNS::Subscription": { replaceOn: ["Endpoint", "Protocol", "TopicArn"] },
  // A definition change updates the machine in place; a new name or type replaces it.
  "AWS::StepFunctions::StateMachine": {
    replaceOn: ["StateMachineName", "StateMachineType"],
    nameProperty: "StateMachineName",
  },
  // Server fleets (issue 19): accepted and checked; `sluice cloud` runs each fleet as a local
  // `sluice serve` rather than instances or tasks.
  "AWS::EC2::LaunchTemplate": { replaceOn: ["LaunchTemplateName"], nameProperty: "LaunchTemplateName" },
  "AWS::EC2::SecurityGroup": {
    replaceOn: ["GroupDescription", "GroupName", "VpcId"],
    nameProperty: "GroupName",
  },
  "AWS::AutoScaling::AutoScalingGroup": {
    replaceOn: ["AutoScalingGroupName", "InstanceId"],
    nameProperty: "AutoScalingGroupName",
  },
  "AWS::IAM::InstanceProfile": {
    replaceOn: ["Path", "InstanceProfileName"],
    nameProperty: "InstanceProfileName",
  },
  "AWS::ElasticLoadBalancingV2::LoadBalancer": {
    replaceOn: ["Type", "Scheme", "Name"],
    nameProperty: "Name",
  },
  "AWS::ElasticLoadBalancingV2::TargetGroup": {
    replaceOn: ["IpAddressType", "Port", "ProtocolVersion", "Name", "VpcId", "TargetType", "Protocol"],
    nameProperty: "Name",
  },
  "AWS::ElasticLoadBalancingV2::Listener": { replaceOn: ["LoadBalancerArn"] },
  "AWS::ECS::Cluster": { replaceOn: ["ClusterName"], nameProperty: "ClusterName" },
  "AWS::ECS::TaskDefinition": {
    replaceOn: [
      "TaskRoleArn",
      "IpcMode",
      "InferenceAccelerators",
      "Memory",
      "PlacementConstraints",
      "Cpu",
      "RequiresCompatibilities",
      "NetworkMode",
      "PidMode",
      "ExecutionRoleArn",
      "RuntimePlatform",
      "ProxyConfiguration",
      "Volumes",
      "ContainerDefinitions",
      "Family",
      "EphemeralStorage",
      "EnableFaultInjection",
    ],
  },
  "AWS::ECS::Service": {
    replaceOn: ["Cluster", "DeploymentController", "LaunchType", "Role", "SchedulingStrategy", "ServiceName"],
    nameProperty: "ServiceName",
  },
} as const satisfies Record<string, TypeFacts>;

export type SupportedType = keyof typeof TYPE_FACTS;
