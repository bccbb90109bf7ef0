/**
 * Decorators: typed hooks that run at synth time, in Node, after Sluice has generated the
 * template. They live in `sluice.decorators.ts` beside the definition, never in it, so their
 * code (and whatever it imports) stays out of the function bundles.
 *
 * @example
 * import type app from "./sluice.config.ts";
 * import { defineDecorators } from "sluice/aws";
 * export default defineDecorators<typeof app>({
 *   functions: { render: (fn) => { fn.function.Properties.MemorySize = 1024; } },
 *   app: ({ template }) => { template.addOutput("Docs", { Value: "https://example.com" }); },
 * });
 */
import type { AppDefinition } from "../../model/app-definition.ts";
import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import type {
  Template,
  TemplateOutput,
  TemplateParameter,
  TemplateResource,
  TemplateValue,
} from "../template/template.ts";

/** The template as decorators see it: additions fail on a logical ID that is already taken. */
export interface DecoratorTemplate {
  /** The whole template, for reading or for changes the methods below do not cover. */
  readonly template: Template;
  addResource(id: string, resource: TemplateResource): TemplateResource;
  addParameter(id: string, parameter: TemplateParameter): TemplateParameter;
  addOutput(id: string, output: TemplateOutput): TemplateOutput;
  addCondition(id: string, condition: TemplateValue): void;
  /** A resource already in the template (generated or added), to change in place. */
  resource(id: string): TemplateResource;
  hasResource(id: string): boolean;
  removeResource(id: string): void;
}

export interface SynthContext {
  readonly spec: AppSpec;
  /** The app's folder: read files (user data, scripts) relative to it. */
  readonly dir: string;
  readonly template: DecoratorTemplate;
}

/** A resource whose `Properties` are present, as Sluice generates them. */
export type GeneratedResource = TemplateResource & { Properties: Record<string, TemplateValue> };

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource: TemplateValue;
  Condition?: TemplateValue;
}

/** One function's generated resources, with helpers for the usual changes. */
export interface FunctionResources {
  /** Name in the definition. */
  readonly name: string;
  readonly spec: FunctionSpec;
  readonly logicalIds: {
    readonly function: string;
    readonly role: string;
    readonly logGroup: string;
    readonly eventInvokeConfig: string;
    readonly codeKeyParameter: string;
    readonly eventSourceMapping?: string;
  };
  readonly function: GeneratedResource;
  readonly role: GeneratedResource;
  readonly logGroup: GeneratedResource;
  readonly eventInvokeConfig: GeneratedResource;
  readonly eventSourceMapping?: GeneratedResource;
  /** Where the function's zip is: the same artifact can run elsewhere (EC2, containers). */
  readonly code: { readonly bucket: TemplateValue; readonly key: TemplateValue };
  /** Adds a statement to the function's role policy. */
  addToRolePolicy(statement: PolicyStatement): void;
  /** Sets a variable in the function's environment (a string or a reference). */
  setEnvironment(name: string, value: TemplateValue): void;
}

export type FunctionDecorator = (fn: FunctionResources, context: SynthContext) => void | Promise<void>;
export type AppDecorator = (context: SynthContext) => void | Promise<void>;

export interface Decorators<FunctionName extends string = string> {
  /** Runs for every function, before the function's own decorator. @default none */
  everyFunction?: FunctionDecorator;
  /** Per function, by definition name. @default none */
  functions?: { [Name in FunctionName]?: FunctionDecorator };
  /** Runs once, after every function decorator. @default none */
  app?: AppDecorator;
}

type FunctionNamesOf<App> =
  App extends AppDefinition<string, string> ? keyof App["functions"] & string : string;

/** Declares decorators; pass `typeof app` so function names are checked. */
export function defineDecorators<App = AppDefinition>(
  decorators: Decorators<FunctionNamesOf<App>>,
): Decorators<FunctionNamesOf<App>> {
  return decorators;
}
