import type { AppSpec } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import type { TemplateBuilder } from "../template/builder.ts";
import type { Decorators, DecoratorTemplate, FunctionResources, SynthContext } from "./decorators.ts";

/** Runs every function's decorators in definition order, then the app's. */
export async function applyDecorators(
  decorators: Decorators,
  builder: TemplateBuilder,
  spec: AppSpec,
  dir: string,
  functions: readonly FunctionResources[],
): Promise<void> {
  const known = new Set(functions.map((fn) => fn.name));
  const unknown = Object.keys(decorators.functions ?? {}).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new SluiceError(
      "SLUICE_DECORATOR_UNKNOWN_FUNCTION",
      `decorators name functions the app does not have: ${unknown.join(", ")}; its functions are ${[...known].join(", ")}`,
    );
  }
  for (const fn of functions) {
    const owner = `the decorator of function "${fn.name}"`;
    const context: SynthContext = { spec, dir, template: view(builder, owner) };
    const own = (decorators.functions as Record<string, typeof decorators.everyFunction> | undefined)?.[
      fn.name
    ];
    for (const decorate of [decorators.everyFunction, own]) {
      if (decorate) await run(owner, () => decorate(fn, context));
    }
  }
  if (decorators.app) {
    const owner = "the app decorator";
    const decorate = decorators.app;
    await run(owner, () => decorate({ spec, dir, template: view(builder, owner) }));
  }
}

async function run(owner: string, body: () => void | Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof SluiceError) throw error;
    throw new SluiceError(
      "SLUICE_DECORATOR_FAILED",
      `${owner} failed: ${(error as Error)?.message ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** The builder, with additions attributed to `owner` in conflict messages. */
function view(builder: TemplateBuilder, owner: string): DecoratorTemplate {
  return {
    get template() {
      return builder.template;
    },
    addResource: (id, resource) => builder.addResource(id, resource, owner),
    addParameter: (id, parameter) => builder.addParameter(id, parameter, owner),
    addOutput: (id, output) => builder.addOutput(id, output, owner),
    addCondition: (id, condition) => builder.addCondition(id, condition, owner),
    resource: (id) => builder.resource(id),
    hasResource: (id) => builder.hasResource(id),
    removeResource: (id) => builder.removeResource(id),
  };
}
