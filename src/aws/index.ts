/**
 * `sluice/aws`: what a decorators file (`sluice.decorators.ts`) uses to change the template
 * `sluice synth` writes. Runs at synth time only; never bundled into functions.
 */

export type {
  AppDecorator,
  Decorators,
  DecoratorTemplate,
  FunctionDecorator,
  FunctionResources,
  GeneratedResource,
  PolicyStatement,
  SynthContext,
} from "./decorators/decorators.ts";
export { defineDecorators } from "./decorators/decorators.ts";
export type { TemplateExpressionOptions } from "./template/expression.ts";
export { templateExpression } from "./template/expression.ts";
export { arn, base64, getAtt, join, PSEUDO, ref, sub } from "./template/intrinsics.ts";
export { ARTIFACT_BUCKET_PARAMETER, logicalId, pascal } from "./template/logical-ids.ts";
export type {
  Template,
  TemplateOutput,
  TemplateParameter,
  TemplateResource,
  TemplateValue,
} from "./template/template.ts";
