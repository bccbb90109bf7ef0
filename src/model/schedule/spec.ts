/**
 * Normalised schedules (EventBridge Scheduler) and provisioned concurrency, as `local` and `aws`
 * read them from the AppSpec.
 */

/** What a schedule delivers to: a function (async Invoke), a queue (SendMessage) or a bus (PutEvents). */
export type ScheduleTargetKind = "function" | "queue" | "bus";

export interface ScheduleSpec {
  /** Name in the definition (the key under `schedules`). */
  readonly name: string;
  /** Physical schedule name: `${app}-${name}`. */
  readonly scheduleName: string;
  /** `rate(...)`, `cron(...)` or `at(...)`, as written (validated). */
  readonly expression: string;
  /** IANA time zone the expression is read in. */
  readonly timezone: string;
  readonly target: {
    readonly kind: ScheduleTargetKind;
    /** Definition name of the function, queue or bus. */
    readonly name: string;
    /** JSON text delivered to the target; absent means Scheduler's default (`{}` here). */
    readonly input?: string;
    /**
     * The message group of a FIFO queue target, as Scheduler's `SqsParameters` name it; absent
     * means the schedule's definition name, which is what synth writes there.
     */
    readonly messageGroupId?: string;
  };
  readonly enabled: boolean;
}

/** One scaling action of a function's provisioned concurrency (Application Auto Scaling). */
export interface ProvisionedScalingAction {
  readonly expression: string;
  readonly capacity: number;
  /** IANA time zone of the expression. */
  readonly timezone: string;
}

/**
 * `fixed`: that many environments stay initialised. `scheduled`: scheduled actions set the
 * capacity; before the first fires it is 0 (as a ScalableTarget with MinCapacity 0).
 */
export type ProvisionedConcurrencySpec =
  | { readonly kind: "fixed"; readonly capacity: number }
  | { readonly kind: "scheduled"; readonly actions: readonly ProvisionedScalingAction[] };

/** The alias that provisioned concurrency is configured on, on deploy. */
export const PROVISIONED_ALIAS = "live";
