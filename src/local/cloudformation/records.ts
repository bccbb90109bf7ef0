/** What the engine keeps about stacks, their resources, events and change sets. */
import type { ResourceChange } from "./change-set/resource-change.ts";

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export interface OutputRecord {
  readonly key: string;
  readonly value: string;
  readonly description?: string;
  readonly exportName?: string;
}

/** The parts of a stack an update replaces and a rollback restores. */
export interface StackDefinition {
  readonly templateBody: string;
  readonly description?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly noEcho: readonly string[];
  readonly tags: readonly Tag[];
  readonly capabilities: readonly string[];
  readonly outputs: readonly OutputRecord[];
}

export const OPERATION = { create: "CREATE", update: "UPDATE", delete: "DELETE" } as const;
export type OperationKind = (typeof OPERATION)[keyof typeof OPERATION];

export interface StackRecord extends StackDefinition {
  readonly stackId: string;
  readonly region: string;
  readonly name: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly createdAt: number;
  readonly updatedAt?: number;
  readonly deletedAt?: number;
  readonly changeSetId?: string;
  /** The operation running now, kept so a restart can roll it back. */
  readonly operation?: {
    readonly kind: OperationKind;
    readonly clientRequestToken?: string;
    /** The stack as it was before an update, for the rollback. */
    readonly previous?: StackDefinition;
  };
}

/** A resource's identity and properties before the running operation touched it. */
export interface ResourceState {
  readonly resourceType: string;
  readonly physicalId?: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
}

export interface ResourceRecord extends ResourceState {
  readonly stackId: string;
  readonly logicalId: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly updatedAt: number;
  /**
   * Set once the running operation touches the resource: `null` when the operation created it,
   * the earlier state otherwise (an update restores it; a replacement deletes the old one after).
   */
  readonly previous?: ResourceState | null;
}

export interface EventRecord {
  readonly eventId: string;
  readonly stackId: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly physicalId: string;
  readonly resourceType: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly properties?: string;
  readonly timestamp: number;
  readonly clientRequestToken?: string;
}

export interface ChangeSetRecord {
  readonly changeSetId: string;
  readonly name: string;
  readonly stackId: string;
  readonly stackName: string;
  readonly region: string;
  readonly type: "CREATE" | "UPDATE";
  readonly status: string;
  readonly statusReason?: string;
  readonly executionStatus: string;
  readonly description?: string;
  readonly definition: StackDefinition;
  readonly changes: readonly ResourceChange[];
  readonly createdAt: number;
}
