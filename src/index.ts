export type {
  AppDefinition,
  ConsumesDefinition,
  FunctionDefaults,
  FunctionDefinition,
  IamAction,
  Permission,
  PermissionResource,
  QueueDefinition,
  Route,
  Routes,
  RoutingFunction,
} from "./model/app-definition.ts";
export type { StreamViewType } from "./model/app-spec.ts";
export { defineApp } from "./model/define-app.ts";
export type { Duration } from "./model/duration.ts";
export type {
  BusDefinition,
  EventRetryPolicyDefinition,
  EventTargetDefinition,
  InputTransformerDefinition,
  RuleDefinition,
} from "./model/events-definition.ts";
export type {
  DomainDefinition,
  DomainRouting,
  RegionsDefinition,
  Route53HealthDefinition,
} from "./model/failover.ts";
export type {
  ApiDefinition,
  CorsDefinition,
  HealthDefinition,
  HttpMethod,
  HttpRouteKey,
  PayloadFormat,
} from "./model/http-api.ts";
export type {
  KeyAttributeDefinition,
  TableConsumesDefinition,
  TableDefinition,
  TableIndexDefinition,
} from "./model/tables.ts";
export type { WebSocketDefinition, WebSocketRoutes } from "./model/websocket-api.ts";
