/**
 * The local cloud's resource providers: one per resource type `sluice synth` generates, plus the
 * artifact bucket `sluice bootstrap` deploys. Any other type is unknown to the registry, so the
 * engine fails the change set naming it rather than skipping it.
 */
import type { ProviderRegistry, ResourceProvider } from "../resource-provider.ts";
import { apiProvider, integrationProvider, routeProvider, stageProvider } from "./apigatewayv2.ts";
import { apiMappingProvider, domainNameProvider } from "./apigatewayv2-domain.ts";
import { autoScalingGroupProvider } from "./autoscaling-group.ts";
import { certificateProvider } from "./certificate.ts";
import { alarmProvider } from "./cloudwatch-alarm.ts";
import { tableProvider } from "./dynamodb.ts";
import { launchTemplateProvider } from "./ec2-launch-template.ts";
import { securityGroupProvider } from "./ec2-security-group.ts";
import { clusterProvider } from "./ecs-cluster.ts";
import { serviceProvider } from "./ecs-service.ts";
import { taskDefinitionProvider } from "./ecs-task-definition.ts";
import { listenerProvider } from "./elbv2-listener.ts";
import { loadBalancerProvider } from "./elbv2-load-balancer.ts";
import { targetGroupProvider } from "./elbv2-target-group.ts";
import { eventBusProvider, ruleProvider } from "./events.ts";
import { globalTableProvider } from "./global-table.ts";
import { roleProvider } from "./iam.ts";
import { instanceProfileProvider } from "./iam-instance-profile.ts";
import {
  aliasProvider,
  eventInvokeConfigProvider,
  eventSourceMappingProvider,
  permissionProvider,
  scalableTargetProvider,
  type VersionCounter,
  versionProvider,
} from "./lambda-config.ts";
import { functionProvider } from "./lambda-function.ts";
import { logGroupProvider } from "./logs.ts";
import type { ProviderEnv } from "./provider-env.ts";
import { healthCheckProvider, recordSetProvider } from "./route53.ts";
import { bucketPolicyProvider, bucketProvider } from "./s3.ts";
import { scheduleProvider } from "./scheduler.ts";
import type { SupportedType } from "./schema-facts.ts";
import { subscriptionProvider, topicProvider } from "./sns.ts";
import { queuePolicyProvider, queueProvider } from "./sqs.ts";
import { stateMachineProvider } from "./stepfunctions.ts";

export interface ProvidersEnv extends ProviderEnv {
  readonly versions: VersionCounter;
}

export function createProviders(env: ProvidersEnv): ProviderRegistry {
  const providers: Record<SupportedType, ResourceProvider> = {
    "AWS::SQS::Queue": queueProvider(env),
    "AWS::SQS::QueuePolicy": queuePolicyProvider(env),
    "AWS::DynamoDB::Table": tableProvider(env),
    "AWS::Logs::LogGroup": logGroupProvider(env),
    "AWS::IAM::Role": roleProvider(env),
    "AWS::Lambda::Function": functionProvider(env),
    "AWS::Lambda::EventSourceMapping": eventSourceMappingProvider(),
    "AWS::Lambda::EventInvokeConfig": eventInvokeConfigProvider(),
    "AWS::Lambda::Permission": permissionProvider(env),
    "AWS::Lambda::Version": versionProvider(env.versions),
    "AWS::Lambda::Alias": aliasProvider(),
    "AWS::ApplicationAutoScaling::ScalableTarget": scalableTargetProvider(),
    "AWS::ApiGatewayV2::Api": apiProvider(env),
    "AWS::ApiGatewayV2::Stage": stageProvider(),
    "AWS::ApiGatewayV2::Integration": integrationProvider(env),
    "AWS::ApiGatewayV2::Route": routeProvider(env),
    "AWS::Events::EventBus": eventBusProvider(),
    "AWS::Events::Rule": ruleProvider(env),
    "AWS::Scheduler::Schedule": scheduleProvider(env),
    "AWS::S3::Bucket": bucketProvider(env),
    "AWS::S3::BucketPolicy": bucketPolicyProvider(env),
    // Regional failover (issue 17): global tables, custom domains, Route 53 and its alarms.
    "AWS::DynamoDB::GlobalTable": globalTableProvider(env),
    "AWS::CertificateManager::Certificate": certificateProvider(),
    "AWS::ApiGatewayV2::DomainName": domainNameProvider(env),
    "AWS::ApiGatewayV2::ApiMapping": apiMappingProvider(env),
    "AWS::Route53::HealthCheck": healthCheckProvider(),
    "AWS::Route53::RecordSet": recordSetProvider(),
    "AWS::CloudWatch::Alarm": alarmProvider(env),
    "AWS::SNS::Topic": topicProvider(env),
    "AWS::SNS::Subscription": subscriptionProvider(),
    // Workflows (issue 18).
    "AWS::StepFunctions::StateMachine": stateMachineProvider(env),
    // Server fleets (issue 19): the cloud host runs each as a local `sluice serve`.
    "AWS::EC2::LaunchTemplate": launchTemplateProvider(env),
    "AWS::EC2::SecurityGroup": securityGroupProvider(env),
    "AWS::AutoScaling::AutoScalingGroup": autoScalingGroupProvider(env),
    "AWS::IAM::InstanceProfile": instanceProfileProvider(env),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": loadBalancerProvider(env),
    "AWS::ElasticLoadBalancingV2::TargetGroup": targetGroupProvider(env),
    "AWS::ElasticLoadBalancingV2::Listener": listenerProvider(env),
    "AWS::ECS::Cluster": clusterProvider(env),
    "AWS::ECS::TaskDefinition": taskDefinitionProvider(env),
    "AWS::ECS::Service": serviceProvider(env),
  };
  return (type) => (Object.hasOwn(providers, type) ? providers[type as SupportedType] : undefined);
}

export type { VersionCounter } from "./lambda-config.ts";
export type { ProviderEnv } from "./provider-env.ts";
