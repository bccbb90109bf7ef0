/**
 * Code that runs inside every function, locally and on AWS. Tiny and dependency-free: it is
 * bundled into each function.
 */
export { wrapHandler } from "./wrap-handler.ts";
export type { LambdaHandler, WrapOptions } from "./wrap-handler.ts";
export { RuntimeError } from "./errors.ts";
export { resources, resourcesOf } from "./resources.ts";
export type { Resources } from "./resources.ts";
export { TRANSPORT_KEY, installTransport, installedTransport } from "./transport.ts";
export type { RouteTransport } from "./transport.ts";
export { awsTransport } from "./aws-transport.ts";
export type { AwsRouteClients, AwsTransportOptions } from "./aws-transport.ts";
export type { RouteContext } from "./transport.ts";
