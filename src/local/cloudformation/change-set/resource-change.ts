/** A change set's entries, in the shape DescribeChangeSet returns them. */

export const REQUIRES_RECREATION = {
  never: "Never",
  conditionally: "Conditionally",
  always: "Always",
} as const;
export type RequiresRecreation = (typeof REQUIRES_RECREATION)[keyof typeof REQUIRES_RECREATION];

export interface ChangeDetail {
  readonly target: {
    readonly attribute: "Properties";
    readonly name: string;
    readonly requiresRecreation: RequiresRecreation;
  };
  readonly evaluation: "Static" | "Dynamic";
  readonly changeSource:
    | "ResourceReference"
    | "ParameterReference"
    | "ResourceAttribute"
    | "DirectModification";
  readonly causingEntity?: string;
}

export interface ResourceChange {
  readonly action: "Add" | "Modify" | "Remove";
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly resourceType: string;
  /** Modify only. */
  readonly replacement?: "True" | "False" | "Conditional";
  readonly scope: readonly string[];
  readonly details: readonly ChangeDetail[];
}
