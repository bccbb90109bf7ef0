/**
 * Code that runs inside every function, locally and on AWS. Tiny and dependency-free: it is
 * bundled into each function.
 */

export type { AwsRouteClients, AwsTransportOptions } from "./aws-transport.ts";
export { awsTransport } from "./aws-transport.ts";
export { RuntimeError } from "./errors.ts";
export type { Resources } from "./resources.ts";
export { resources, resourcesOf } from "./resources.ts";
export type { RouteContext, RouteTransport } from "./transport.ts";
export { installedTransport, installTransport, TRANSPORT_KEY } from "./transport.ts";
export type { LambdaHandler, WrapOptions } from "./wrap-handler.ts";
export { wrapHandler } from "./wrap-handler.ts";
