/**
 * The local endpoint: one loopback server for the control API and AWS's wire protocols, the
 * functions' credentials and the IAM guard.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { EndpointEvent } from "./aws-endpoint.ts";
export { createAwsHandler } from "./aws-endpoint.ts";
export type { ControlServer } from "./control-server.ts";
export type { ConsoleOptions, EndpointServer } from "./endpoint-server.ts";
export { startEndpoint } from "./endpoint-server.ts";
export { CredentialIssuer } from "./function-credentials.ts";
export type { IamMode } from "./iam-guard.ts";
export { IAM_MODES } from "./iam-guard.ts";
export { s3CrossOrigin } from "./s3-cross-origin.ts";
