/**
 * The local CloudFormation service, its query protocol, and the providers that make each resource
 * type real (the account's host translates their physical resources into an AppSpec).
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { StackResourceRecord } from "./cloudformation-service.ts";
export { CloudFormationService } from "./cloudformation-service.ts";
export { apiSeed } from "./providers/apigatewayv2.ts";
export { regionalZone } from "./providers/apigatewayv2-domain.ts";
export type { VersionCounter } from "./providers/create-providers.ts";
export { createProviders } from "./providers/create-providers.ts";
export { STREAM_LABEL_ATTRIBUTE } from "./providers/dynamodb.ts";
export { LOAD_BALANCER_PORT_ATTRIBUTE } from "./providers/elbv2-load-balancer.ts";
export { ruleBusName } from "./providers/events.ts";
export { handlerFile } from "./providers/function-code.ts";
export { replicasOf } from "./providers/global-table.ts";
export { isStreamArn } from "./providers/lambda-config.ts";
export { CODE_DIRECTORY_ATTRIBUTE } from "./providers/lambda-function.ts";
export { functionNameOf } from "./providers/properties.ts";
export type { NotificationDestination } from "./providers/provider-env.ts";
export {
  type HealthCheckSettings,
  healthCheckSettings,
  localHostedZoneId,
  type RecordSettings,
  recordSettings,
} from "./providers/route53.ts";
export { DEFINITION_ATTRIBUTE } from "./providers/stepfunctions.ts";
export type { ResourceMetadata } from "./resource-metadata.ts";
export { handleCloudFormationQuery } from "./wire/cloudformation-query.ts";
