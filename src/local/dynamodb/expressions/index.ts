// DynamoDB's expression languages: parse, check against the request's placeholders, evaluate.
export {
  type AttributeMap,
  type AttributeType,
  type AttributeValue,
  compareScalars,
  equalValues,
  type Item,
  newAttributeMap,
  typeOf,
} from "./attribute-value.ts";
export { type CompiledCondition, compileCondition } from "./condition.ts";
export {
  addDecimal,
  checkStorable,
  compareDecimal,
  type Decimal,
  formatDecimal,
  parseDecimal,
  subtractDecimal,
} from "./decimal.ts";
export type { DocumentPath } from "./document-path.ts";
export { DynamoDbValidationError, type ExpressionKind } from "./errors.ts";
export {
  type CompiledKeyCondition,
  compileKeyCondition,
  type KeySchema,
  type SortKeyCondition,
} from "./key-condition.ts";
export { type ExpressionAttributes, invalidValue, Placeholders } from "./placeholders.ts";
export { type CompiledProjection, compileProjection } from "./projection.ts";
export { isReservedWord } from "./reserved-words.ts";
export { type CompiledUpdate, compileUpdate } from "./update.ts";
