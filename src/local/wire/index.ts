/**
 * Codecs every wire protocol shares: AWS JSON, the query protocol, XML, request bodies, AWS's
 * error shapes (AccessDenied included) and the call a protocol handler receives.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { AccessDeniedError } from "./access-denied.ts";
export { AfterAnswer } from "./after-answer.ts";
export type { AwsCall } from "./aws-call.ts";
export {
  jsonNumber,
  jsonObjectList,
  jsonString,
  jsonStringList,
  parseJsonObject,
  sendAwsJson,
  serializationError,
  withNullPrototypes,
} from "./aws-json.ts";
export { readBody } from "./http-body.ts";
export type { QueryNode, QueryTree } from "./query-params.ts";
export { asString, dataMap, field, indexed, own, queryTree } from "./query-params.ts";
export { sendQueryResponse, sendXml } from "./query-response.ts";
export { describeError, sendLambdaError, sendQueryError, sendSqsJsonError } from "./wire-errors.ts";
export { element, escapeXml, text } from "./xml.ts";
