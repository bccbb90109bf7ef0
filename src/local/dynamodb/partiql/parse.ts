import { DynamoDbValidationError } from "../expressions/index.ts";
import type { Statement } from "./ast.ts";
import { SyntaxError as PeggySyntaxError, parse } from "./parser.generated.ts";

/**
 * DynamoDB's answer to a statement its PartiQL parser refuses (checked against DynamoDB Local
 * 3.3.1, which runs AWS's PartiQL front end): the whole statement is echoed.
 */
function notWellFormed(statement: string): DynamoDbValidationError {
  return new DynamoDbValidationError(`Statement wasn't well formed, can't be processed: ${statement}`);
}

/** Parses one statement into its tree, or throws DynamoDB's ValidationException. */
export function parseStatement(statement: string): Statement {
  try {
    return parse(statement, { startRule: "Statement" }) as Statement;
  } catch (error) {
    if (error instanceof PeggySyntaxError) throw notWellFormed(statement);
    throw error;
  }
}
