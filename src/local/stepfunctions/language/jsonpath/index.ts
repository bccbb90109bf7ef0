/** The JSONPath query language: what the engine and the tests use from this folder. */

export { parseTimestamp } from "../timestamps.ts";
export type { RandomSource } from "./intrinsics/intrinsic-args.ts";
export {
  createJsonPathLanguage,
  type JsonPathLanguageOptions,
  jsonPathLanguage,
} from "./json-path-language.ts";
