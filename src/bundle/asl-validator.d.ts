/**
 * The types of asl-validator 4.0.0, which ships none: its default export (`module.exports`) as
 * its README and dist/src/validator.js define it.
 */
declare module "asl-validator" {
  export interface AslValidatorError {
    readonly "Error code": string;
    readonly Message: string;
    /** Set for JSON schema errors: where in the document (`/States/Run/Next`). */
    readonly schemaError?: { readonly instancePath?: string; readonly schemaPath?: string };
  }
  export interface AslValidatorOptions {
    /** Validate JSONPath expressions. @default true */
    readonly checkPaths: boolean;
    /** Require Resource values to be ARNs. @default true */
    readonly checkArn: boolean;
  }
  /** Validates (and, note, annotates each state with its QueryLanguage: pass a copy). */
  export default function aslValidator(
    definition: unknown,
    options?: AslValidatorOptions,
  ): { isValid: boolean; errors: AslValidatorError[]; errorsText: (separator?: string) => string };
}
