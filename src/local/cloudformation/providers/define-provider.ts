/**
 * Builds a provider from its type's schema facts and three functions. Most local resources are
 * descriptions the region's running cloud is rebuilt from once the stack settles, so by default
 * an update re-derives the resource and a delete has nothing to undo.
 */
import { AwsError } from "../../../model/errors.ts";
import {
  type CurrentResource,
  type ProvisionedResource,
  type ResourceContext,
  ResourceFailure,
  type ResourceProvider,
} from "../resource-provider.ts";
import type { Properties } from "./properties.ts";
import { type SupportedType, TYPE_FACTS } from "./schema-facts.ts";

export interface ProviderParts {
  create(
    properties: Properties,
    context: ResourceContext,
  ): Promise<ProvisionedResource> | ProvisionedResource;
  /** @default create again, keeping the physical id */
  update?(
    current: CurrentResource,
    properties: Properties,
    context: ResourceContext,
  ): Promise<ProvisionedResource> | ProvisionedResource;
  /** @default nothing to undo */
  delete?(current: CurrentResource, context: ResourceContext): Promise<void> | void;
}

export function defineProvider(type: SupportedType, parts: ProviderParts): ResourceProvider {
  const facts = TYPE_FACTS[type];
  return {
    replaceOn: facts.replaceOn,
    ...("nameProperty" in facts ? { nameProperty: facts.nameProperty } : {}),
    create: (properties, context) => refused(async () => parts.create(properties, context)),
    update: (current, properties, context) =>
      refused(async () =>
        parts.update ? parts.update(current, properties, context) : parts.create(properties, context),
      ),
    delete: (current, context) => refused(async () => parts.delete?.(current, context)),
  };
}

/** A surface's AWS error (a log group that exists, a bad retention) is the resource's failure. */
async function refused<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AwsError) throw new ResourceFailure(`${error.message} (Error Code: ${error.code})`);
    throw error;
  }
}
