/**
 * Step Functions' JSONata query language: `jsonataLanguage` implements the interpreter's
 * QueryLanguage; `createJsonataLanguage({ random, nowMs, uuid })` builds one on the engine's clock
 * and random source.
 */
export { isJsonataString } from "./expression.ts";
export type { JsonataEnvironment } from "./functions.ts";
export { createJsonataLanguage, type JsonataLanguage, jsonataLanguage } from "./language.ts";
