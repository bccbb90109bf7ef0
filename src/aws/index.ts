/**
 * `sluice/aws`: what a decorators file (`sluice.decorators.ts`) uses to change the template
 * `sluice synth` writes. Runs at synth time only; never bundled into functions.
 */
export { defineDecorators } from "./decorators/decorators.ts";
export type {
  AppDecorator,
  DecoratorTemplate,
  Decorators,
  FunctionDecorator,
  FunctionResources,
  GeneratedResource,
  PolicyStatement,
  SynthContext,
} from "./decorators/decorators.ts";
export { arn, base64, getAtt, join, ref, sub, PSEUDO } from "./template/intrinsics.ts";
export { templateExpression } from "./template/expression.ts";
export type { TemplateExpressionOptions } from "./template/expression.ts";
export { ARTIFACT_BUCKET_PARAMETER, logicalId, pascal } from "./template/logical-ids.ts";
export type {
  Template,
  TemplateOutput,
  TemplateParameter,
  TemplateResource,
  TemplateValue,
} from "./template/template.ts";
