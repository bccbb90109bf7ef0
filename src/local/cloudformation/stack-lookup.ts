/** Finding stacks and change sets by name or ARN, with AWS's errors when they do not exist. */
import { LIMITS } from "../../model/limits.ts";
import type { CfnStore } from "./cfn-store.ts";
import { CFN_ERROR, CfnError, validationError } from "./errors.ts";
import type { ChangeSetRecord, StackRecord } from "./records.ts";

/** A stack by name (live ones only, as AWS) or by stack id (deleted ones too). */
export function findStack(store: CfnStore, region: string, nameOrId: string): StackRecord | undefined {
  if (nameOrId.startsWith("arn:")) {
    const stack = store.stack(nameOrId);
    return stack?.region === region ? stack : undefined;
  }
  return store.liveStack(region, nameOrId);
}

export function requireStack(store: CfnStore, region: string, nameOrId: string): StackRecord {
  const stack = findStack(store, region, nameOrId);
  if (!stack) throw validationError(`Stack with id ${nameOrId} does not exist`);
  return stack;
}

export function requireChangeSet(
  store: CfnStore,
  region: string,
  changeSetName: string,
  stackName: string | undefined,
): ChangeSetRecord {
  let changeSet: ChangeSetRecord | undefined;
  if (changeSetName.startsWith("arn:")) changeSet = store.changeSet(changeSetName);
  else {
    if (stackName === undefined) {
      throw validationError("StackName must be specified if ChangeSetName is not specified as an ARN.");
    }
    const stack = findStack(store, region, stackName);
    changeSet = stack ? store.changeSetByName(stack.stackId, changeSetName) : undefined;
  }
  if (!changeSet || changeSet.region !== region) {
    throw new CfnError(CFN_ERROR.changeSetNotFound, `ChangeSet [${changeSetName}] does not exist`);
  }
  return changeSet;
}

export function checkStackName(name: string): void {
  const rule = LIMITS.cloudformation.stackName;
  if (name.length > rule.max || !rule.pattern.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]* and have at most ${rule.max} characters`,
    );
  }
}

export function checkChangeSetName(name: string): void {
  const rule = LIMITS.cloudformation.changeSetName;
  if (name.length > rule.max || !rule.pattern.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]* and have at most ${rule.max} characters`,
    );
  }
}

/** Statuses in which a stack accepts an update (a new change set of type UPDATE, or its execution). */
export const UPDATABLE = new Set([
  "CREATE_COMPLETE",
  "UPDATE_COMPLETE",
  "UPDATE_ROLLBACK_COMPLETE",
  "IMPORT_COMPLETE",
  "IMPORT_ROLLBACK_COMPLETE",
]);

export function notUpdatable(stack: StackRecord): CfnError {
  return validationError(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
}
