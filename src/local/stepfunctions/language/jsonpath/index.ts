/** The JSONPath query language: what the engine and the tests use from this folder. */
export {
  createJsonPathLanguage,
  type JsonPathLanguageOptions,
  jsonPathLanguage,
} from "./json-path-language.ts";
export type { RandomSource } from "./intrinsics/intrinsic-args.ts";
export { parseTimestamp } from "../timestamps.ts";
