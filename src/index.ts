export { defineApp } from "./model/define-app.ts";
export type {
  AppDefinition,
  ConsumesDefinition,
  FunctionDefaults,
  FunctionDefinition,
  QueueDefinition,
  Route,
  Routes,
  RoutingFunction,
} from "./model/app-definition.ts";
export type { Duration } from "./model/duration.ts";
