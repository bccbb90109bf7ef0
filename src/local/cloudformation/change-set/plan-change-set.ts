/**
 * CreateChangeSet's checks and plan: AWS's rules on stacks and names, the template and its
 * parameters, the capabilities it needs, and the resource changes against the stack.
 */
import { randomUUID } from "node:crypto";
import { LIMITS } from "../../../model/limits.ts";
import { arn } from "../../../model/naming.ts";
import type { Clock } from "../../clock/index.ts";
import { checkCapabilities } from "../capabilities.ts";
import type { CfnStore } from "../cfn-store.ts";
import { CFN_ERROR, CfnError, validationError } from "../errors.ts";
import type { ChangeSetRecord, StackDefinition, StackRecord, Tag } from "../records.ts";
import type { ProviderRegistry } from "../resource-provider.ts";
import { checkChangeSetName, checkStackName, findStack, notUpdatable, UPDATABLE } from "../stack-lookup.ts";
import { pseudoOf } from "../stack-template.ts";
import { prepareTemplate } from "../template/evaluate-template.ts";
import { type GivenParameter, resolveParameters } from "../template/parameters.ts";
import { checkTemplateBodySize, type ParsedTemplate, parseTemplate } from "../template/template.ts";
import { computeChanges } from "./compute-changes.ts";
import { sameValue } from "./property-diff.ts";

export interface CreateChangeSetInput {
  readonly stackName: string;
  readonly changeSetName: string;
  /** @default "UPDATE" */
  readonly changeSetType?: string;
  readonly templateBody?: string;
  readonly templateUrl?: string;
  readonly usePreviousTemplate?: boolean;
  readonly parameters?: readonly GivenParameter[];
  readonly capabilities?: readonly string[];
  readonly tags?: readonly Tag[];
  readonly description?: string;
}

export interface PlanDeps {
  readonly store: CfnStore;
  readonly clock: Clock;
  readonly accountId: string;
  readonly providers: ProviderRegistry;
  readonly readTemplateUrl: (url: string) => string;
}

export const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

export function planChangeSet(
  deps: PlanDeps,
  region: string,
  input: CreateChangeSetInput,
): { changeSet: ChangeSetRecord; definition: StackDefinition } {
  checkStackName(input.stackName);
  checkChangeSetName(input.changeSetName);
  const type = input.changeSetType ?? "UPDATE";
  if (type !== "CREATE" && type !== "UPDATE") {
    throw validationError(
      `1 validation error detected: Value '${type}' at 'changeSetType' failed to satisfy constraint: Member must satisfy enum value set: [IMPORT, UPDATE, CREATE]. The local cloud does not import resources.`,
    );
  }
  const stack = findStack(deps.store, region, input.stackName);
  if (type === "CREATE" && stack && stack.status !== "REVIEW_IN_PROGRESS") {
    throw validationError(
      `Stack [${input.stackName}] already exists and cannot be created again with the changeSet [${input.changeSetName}].`,
    );
  }
  if (type === "UPDATE") {
    if (!stack || stack.status === "REVIEW_IN_PROGRESS")
      throw validationError(`Stack [${input.stackName}] does not exist`);
    if (!UPDATABLE.has(stack.status)) throw notUpdatable(stack);
  }
  if (stack && deps.store.changeSetByName(stack.stackId, input.changeSetName)) {
    throw new CfnError(CFN_ERROR.alreadyExists, `ChangeSet [${input.changeSetName}] already exists`);
  }
  const body = templateSource(input, stack, deps.readTemplateUrl);
  const template = parseTemplate(body);
  checkCapabilities(template, input.capabilities ?? []);
  const previousParameters = type === "UPDATE" ? stack?.parameters : undefined;
  const resolved = resolveParameters(template.Parameters, input.parameters ?? [], previousParameters);
  const now = deps.clock.now();
  const stackId =
    stack?.stackId ??
    arn("cloudformation", region, deps.accountId, `stack/${input.stackName}/${randomUUID()}`);
  const identity = { region, name: input.stackName, stackId };
  const prepared = prepareTemplate(template, resolved.values, pseudoOf(identity, deps.accountId));
  const current = type === "UPDATE" && stack ? deps.store.resources(stack.stackId) : [];
  const previousTemplate = type === "UPDATE" && stack ? parseTemplate(stack.templateBody) : undefined;
  const { changes, unsupported, refusals } = computeChanges({
    prepared,
    current,
    ...(previousTemplate ? { previousTemplate } : {}),
    ...(previousParameters ? { previousParameters } : {}),
    parameters: resolved.raw,
    providers: deps.providers,
  });
  const definition: StackDefinition = {
    templateBody: body,
    ...(template.Description === undefined ? {} : { description: template.Description }),
    parameters: resolved.raw,
    noEcho: resolved.noEcho,
    tags: input.tags ?? stack?.tags ?? [],
    capabilities: input.capabilities ?? [],
    outputs: stack?.outputs ?? [],
  };
  let failure: string | undefined;
  if (unsupported.length > 0) {
    failure = `The local cloud cannot run ${unsupported.join(", ")}: no local provider exists for ${unsupported.length === 1 ? "this resource type" : "these resource types"}. Remove ${unsupported.length === 1 ? "it" : "them"} from the template or deploy to AWS.`;
  } else if (refusals.length > 0) failure = refusals.join(" ");
  else if (
    type === "UPDATE" &&
    stack &&
    changes.length === 0 &&
    sameDefinition(stack, definition, template)
  ) {
    failure = NO_CHANGES;
  }
  const changeSetId = arn(
    "cloudformation",
    region,
    deps.accountId,
    `changeSet/${input.changeSetName}/${randomUUID()}`,
  );
  const changeSet: ChangeSetRecord = {
    changeSetId,
    name: input.changeSetName,
    stackId,
    stackName: input.stackName,
    region,
    type,
    status: failure ? "FAILED" : "CREATE_COMPLETE",
    ...(failure ? { statusReason: failure } : {}),
    executionStatus: failure ? "UNAVAILABLE" : "AVAILABLE",
    ...(input.description === undefined ? {} : { description: input.description }),
    definition,
    changes,
    createdAt: now,
  };
  return { changeSet, definition };
}

/** The template a call names: its TemplateBody, TemplateURL (read from the local S3) or the stack's. */
export function templateSource(
  input: { templateBody?: string; templateUrl?: string; usePreviousTemplate?: boolean },
  stack: StackRecord | undefined,
  readTemplateUrl: (url: string) => string,
): string {
  const given = [input.templateBody, input.templateUrl, input.usePreviousTemplate ? true : undefined].filter(
    (v) => v !== undefined,
  );
  if (given.length !== 1) {
    throw validationError("Specify exactly one of TemplateBody, TemplateURL or UsePreviousTemplate.");
  }
  if (input.usePreviousTemplate) {
    if (!stack || stack.status === "REVIEW_IN_PROGRESS") {
      throw validationError("UsePreviousTemplate needs an existing stack.");
    }
    return stack.templateBody;
  }
  if (input.templateBody !== undefined) {
    checkTemplateBodySize(input.templateBody);
    return input.templateBody;
  }
  const body = readTemplateUrl(input.templateUrl as string);
  const max = LIMITS.cloudformation.templateUrl.max;
  if (Buffer.byteLength(body) > max) throw validationError(`Template may not exceed ${max} bytes in size.`);
  return body;
}

/** No resource change; and the outputs, parameters and tags are the same too. */
function sameDefinition(stack: StackRecord, next: StackDefinition, template: ParsedTemplate): boolean {
  const before = parseTemplate(stack.templateBody);
  return (
    sameValue(before.Outputs ?? {}, template.Outputs ?? {}) &&
    sameValue(stack.parameters, next.parameters) &&
    sameValue(stack.tags, next.tags)
  );
}
