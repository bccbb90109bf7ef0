/** A CloudFormation template as the engine reads it, and the JSON parse that admits it. */
import { LIMITS } from "../../../model/limits.ts";
import { validationError } from "../errors.ts";

export interface ParameterDeclaration {
  readonly Type: string;
  readonly Default?: unknown;
  readonly AllowedValues?: readonly unknown[];
  readonly AllowedPattern?: string;
  readonly MinLength?: number | string;
  readonly MaxLength?: number | string;
  readonly MinValue?: number | string;
  readonly MaxValue?: number | string;
  readonly NoEcho?: boolean | string;
  readonly Description?: string;
  readonly ConstraintDescription?: string;
}

export interface ResourceDeclaration {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: unknown;
}

export interface OutputDeclaration {
  readonly Value: unknown;
  readonly Description?: string;
  readonly Condition?: string;
  readonly Export?: { readonly Name: unknown };
}

export interface ParsedTemplate {
  readonly AWSTemplateFormatVersion?: string;
  readonly Description?: string;
  readonly Parameters?: Readonly<Record<string, ParameterDeclaration>>;
  readonly Mappings?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Resources: Readonly<Record<string, ResourceDeclaration>>;
  readonly Outputs?: Readonly<Record<string, OutputDeclaration>>;
}

const SECTIONS = new Set([
  "AWSTemplateFormatVersion",
  "Description",
  "Metadata",
  "Parameters",
  "Rules",
  "Mappings",
  "Conditions",
  "Transform",
  "Resources",
  "Outputs",
]);

const LOGICAL_ID = /^[A-Za-z0-9]+$/;

/** Checks the TemplateBody size limit (a template read from TemplateURL may be larger). */
export function checkTemplateBodySize(body: string): void {
  const size = Buffer.byteLength(body);
  const max = LIMITS.cloudformation.templateBody.max;
  if (size > max) {
    throw validationError(
      `1 validation error detected: Value of 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${max} (got ${size} bytes). Upload the template to S3 and pass TemplateURL instead.`,
    );
  }
}

/** Parses and checks a template body; every problem is AWS's `ValidationError`. */
export function parseTemplate(body: string): ParsedTemplate {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const yamlLike = !body.trimStart().startsWith("{");
    throw validationError(
      yamlLike
        ? "Template format error: the local cloud reads JSON templates only, and this one is not JSON (YAML?). Convert it to JSON (`sluice synth` writes JSON)."
        : `Template format error: JSON not well-formed. (${(error as Error).message})`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw validationError("Template format error: the template must be a JSON object.");
  }
  const template = parsed as Record<string, unknown>;
  const unknown = Object.keys(template).filter((k) => !SECTIONS.has(k));
  if (unknown.length > 0) {
    throw validationError(
      `Template format error: Invalid template property or properties [${unknown.join(", ")}]`,
    );
  }
  if ("Transform" in template) {
    throw validationError(
      "Template format error: the local cloud does not run transforms (Transform); expand the template first.",
    );
  }
  checkResources(template.Resources);
  checkCounts(template);
  return template as unknown as ParsedTemplate;
}

function checkResources(resources: unknown): void {
  if (typeof resources !== "object" || resources === null || Object.keys(resources).length === 0) {
    throw validationError("Template format error: At least one Resources member must be defined.");
  }
  for (const [logicalId, declaration] of Object.entries(resources)) {
    if (!LOGICAL_ID.test(logicalId)) {
      throw validationError(`Template format error: Resource name ${logicalId} is non alphanumeric.`);
    }
    const type = (declaration as { Type?: unknown } | null)?.Type;
    if (typeof type !== "string") {
      throw validationError(
        `Template format error: [/Resources/${logicalId}] Every Resources object must contain a Type member.`,
      );
    }
  }
}

function checkCounts(template: Record<string, unknown>): void {
  const counts = [
    ["Resources", LIMITS.cloudformation.resources.max],
    ["Parameters", LIMITS.cloudformation.parameters.max],
    ["Outputs", LIMITS.cloudformation.outputs.max],
  ] as const;
  for (const [section, max] of counts) {
    const n = Object.keys((template[section] as object | undefined) ?? {}).length;
    if (n > max) {
      throw validationError(
        `Template format error: Number of ${section.toLowerCase()}, ${n}, is greater than maximum allowed, ${max}`,
      );
    }
  }
}
