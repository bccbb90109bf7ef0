/** Template parameters: given values, defaults, `UsePreviousValue`, types and constraints. */
import { validationError } from "../errors.ts";
import type { ParameterValue } from "./scope.ts";
import type { ParameterDeclaration } from "./template.ts";

export interface GivenParameter {
  readonly key: string;
  readonly value?: string;
  readonly usePreviousValue?: boolean;
}

export interface ResolvedParameters {
  /** Values as the API shows them (lists comma-joined). */
  readonly raw: Readonly<Record<string, string>>;
  /** Values as Ref returns them. */
  readonly values: Readonly<Record<string, ParameterValue>>;
  /** Names of NoEcho parameters (shown as `****`). */
  readonly noEcho: readonly string[];
}

export function resolveParameters(
  declarations: Readonly<Record<string, ParameterDeclaration>> | undefined,
  given: readonly GivenParameter[],
  previous: Readonly<Record<string, string>> | undefined,
): ResolvedParameters {
  const declared = declarations ?? {};
  const unknown = given.filter((p) => !(p.key in declared)).map((p) => p.key);
  if (unknown.length > 0)
    throw validationError(`Parameters: [${unknown.join(", ")}] do not exist in the template`);
  const byKey = new Map(given.map((p) => [p.key, p]));
  const raw: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, declaration] of Object.entries(declared)) {
    const input = byKey.get(name);
    let value: string | undefined;
    if (input?.usePreviousValue) {
      value = previous?.[name];
      if (value === undefined) {
        throw validationError(
          `Invalid input for parameter key ${name}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      }
    } else if (input?.value !== undefined) value = input.value;
    else if (declaration.Default !== undefined) value = defaultText(declaration.Default);
    if (value === undefined) missing.push(name);
    else raw[name] = value;
  }
  if (missing.length > 0) throw validationError(`Parameters: [${missing.join(", ")}] must have values`);
  const values: Record<string, ParameterValue> = {};
  for (const [name, declaration] of Object.entries(declared)) {
    values[name] = typed(name, raw[name] as string, declaration);
  }
  const noEcho = Object.entries(declared)
    .filter(([, d]) => d.NoEcho === true || d.NoEcho === "true")
    .map(([name]) => name);
  return { raw, values, noEcho };
}

function defaultText(value: unknown): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}

const LIST =
  /^(CommaDelimitedList|List<.+>|AWS::SSM::Parameter::Value<List<.+>>|AWS::SSM::Parameter::Value<CommaDelimitedList>)$/;

function typed(name: string, value: string, declaration: ParameterDeclaration): ParameterValue {
  const type = declaration.Type;
  if (type === "Number") checkNumber(name, value, declaration);
  else if (type === "List<Number>")
    for (const item of value.split(",")) checkNumber(name, item.trim(), declaration);
  else if (type === "String") checkString(name, value, declaration);
  else if (!LIST.test(type) && !type.startsWith("AWS::")) {
    throw validationError(`Template format error: Unrecognized parameter type: ${type}`);
  }
  checkAllowedValues(name, value, declaration);
  return LIST.test(type)
    ? value.split(",").map((v) => (type === "CommaDelimitedList" ? v : v.trim()))
    : value;
}

function checkNumber(name: string, value: string, declaration: ParameterDeclaration): void {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n))
    throw validationError(`Parameter '${name}' must be a number.`);
  if (declaration.MinValue !== undefined && n < Number(declaration.MinValue)) {
    throw validationError(`Parameter '${name}' must be a number not less than ${declaration.MinValue}`);
  }
  if (declaration.MaxValue !== undefined && n > Number(declaration.MaxValue)) {
    throw validationError(`Parameter '${name}' must be a number not greater than ${declaration.MaxValue}`);
  }
}

function checkString(name: string, value: string, declaration: ParameterDeclaration): void {
  const describe = declaration.ConstraintDescription;
  if (declaration.MinLength !== undefined && value.length < Number(declaration.MinLength)) {
    throw validationError(
      describe ?? `Parameter '${name}' must contain at least ${declaration.MinLength} characters`,
    );
  }
  if (declaration.MaxLength !== undefined && value.length > Number(declaration.MaxLength)) {
    throw validationError(
      describe ?? `Parameter '${name}' must contain at most ${declaration.MaxLength} characters`,
    );
  }
  if (
    declaration.AllowedPattern !== undefined &&
    !new RegExp(`^(?:${declaration.AllowedPattern})$`).test(value)
  ) {
    throw validationError(describe ?? `Parameter '${name}' must match pattern ${declaration.AllowedPattern}`);
  }
}

function checkAllowedValues(name: string, value: string, declaration: ParameterDeclaration): void {
  const allowed = declaration.AllowedValues?.map(String);
  if (allowed && !allowed.includes(value)) {
    throw validationError(
      declaration.ConstraintDescription ?? `Parameter '${name}' must be one of AllowedValues`,
    );
  }
}
