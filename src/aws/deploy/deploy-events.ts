/**
 * What deploy code reports while it works. Library code never prints; the CLI renders these
 * (a live view on a terminal, plain lines elsewhere, nothing with --json). No event ever carries
 * a secret: parameter values are not part of any event.
 */
import type { ChangeSummary } from "./change-diff.ts";
import type { DataAtStake } from "./data-at-stake.ts";

export interface StackEventRow {
  readonly eventId: string;
  readonly timestamp: Date;
  readonly logicalId: string;
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly physicalId?: string;
}

export type DeployEvent =
  | {
      readonly type: "artifacts";
      readonly region: string;
      readonly uploaded: number;
      readonly skipped: number;
    }
  | {
      readonly type: "template";
      readonly region: string;
      readonly bytes: number;
      readonly via: "TemplateBody" | "TemplateURL";
    }
  | {
      readonly type: "change-set";
      readonly region: string;
      readonly stackName: string;
      readonly changeSetType: "CREATE" | "UPDATE";
      readonly summary: ChangeSummary;
      readonly atStake: readonly DataAtStake[];
    }
  | { readonly type: "no-changes"; readonly region: string; readonly stackName: string }
  | { readonly type: "executing"; readonly region: string; readonly stackName: string }
  | {
      readonly type: "stack-event";
      readonly region: string;
      readonly stackName: string;
      readonly event: StackEventRow;
    }
  | { readonly type: "functions-waiting"; readonly region: string; readonly pending: readonly string[] }
  /** A server fleet's target group's healthy targets changed while deploy waits (fleet-health.ts). */
  | {
      readonly type: "fleet-health";
      readonly region: string;
      readonly fleet: string;
      readonly healthy: number;
      readonly wanted: number;
    }
  | { readonly type: "hook"; readonly region: string; readonly file: string }
  | {
      readonly type: "messages-moved";
      readonly region: string;
      readonly logicalId: string;
      readonly moved: number;
    }
  | { readonly type: "deleting-old-stack"; readonly region: string; readonly stackName: string }
  /** The stack's first creation failed and rolled back: it holds nothing and cannot be updated. */
  | {
      readonly type: "rolled-back-stack";
      readonly region: string;
      readonly stackName: string;
      readonly statusReason?: string;
    }
  | { readonly type: "deleting-rolled-back-stack"; readonly region: string; readonly stackName: string }
  /**
   * A multi-region app deploys (or destroys) in phases (deploy-global.ts): the global tables, the
   * regional stacks, then the global stack. `region` is the phase's region(s), comma-separated.
   */
  | {
      readonly type: "phase";
      readonly region: string;
      readonly phase: DeployPhase;
      readonly action: "deploy" | "destroy";
      readonly stackName?: string;
    }
  /** A phase failed: the later phases do not run. */
  | {
      readonly type: "phase-stopped";
      readonly region: string;
      readonly phase: DeployPhase;
      readonly action: "deploy" | "destroy";
      readonly skipped: readonly DeployPhase[];
    };

/** The phases of a multi-region deploy, in order. */
export const DEPLOY_PHASES = ["global-tables", "regions", "global"] as const;
export type DeployPhase = (typeof DEPLOY_PHASES)[number];

export type DeployListener = (event: DeployEvent) => void;

/**
 * Asked before a change that deletes data, or before deleting a stack in ROLLBACK_COMPLETE so a
 * deploy can create it again (`delete-rolled-back`: nothing at stake). Resolves true to go on.
 * The CLI answers from `--yes`, a terminal prompt, or refuses without a terminal.
 */
export type Confirm = (request: {
  readonly region: string;
  readonly stackName: string;
  readonly atStake: readonly DataAtStake[];
  readonly action: "deploy" | "destroy" | "delete-rolled-back";
}) => Promise<boolean>;
