/**
 * The normalised EventBridge part of the app (types only, so app-spec.ts can hold it without an
 * import cycle): buses, rules and their targets, defaults applied.
 */

export interface EventsSpec {
  /** Named buses, keyed by definition name (the default bus is not listed). */
  readonly buses: Readonly<Record<string, BusSpec>>;
  readonly rules: Readonly<Record<string, RuleSpec>>;
}

export interface BusSpec {
  readonly name: string;
  /** Physical bus name: `${app}-${name}`. */
  readonly eventBusName: string;
  readonly description?: string;
}

export interface RuleSpec {
  readonly name: string;
  /** Physical rule name: `${app}-${name}`. */
  readonly ruleName: string;
  /** Definition name of the bus, or `default`. */
  readonly bus: string;
  /** The event pattern as written (valid JSON data). */
  readonly pattern: Readonly<Record<string, unknown>>;
  readonly targets: readonly EventTargetSpec[];
}

export type EventTargetKind = "function" | "queue" | "bus";

/** What a target receives instead of the whole event (EventBridge's Input, InputPath, InputTransformer). */
export type EventTargetInput =
  | { readonly kind: "constant"; readonly json: string }
  | { readonly kind: "path"; readonly path: string }
  | {
      readonly kind: "transformer";
      readonly inputPathsMap: Readonly<Record<string, string>>;
      readonly inputTemplate: string;
    };

export interface EventTargetSpec {
  /** The target's Id within its rule: `<kind>-<name>`, unique per rule. */
  readonly id: string;
  readonly kind: EventTargetKind;
  /** Definition name of the function, queue or bus (or `default`). */
  readonly name: string;
  readonly input?: EventTargetInput;
  /** 0–185. */
  readonly maximumRetryAttempts: number;
  /** 60–86400. */
  readonly maximumEventAgeSeconds: number;
  /** Definition name of the standard queue that gets events the target could not take. */
  readonly deadLetterQueue?: string;
  /**
   * A queue target's message group (EventBridge's `SqsParameters.MessageGroupId`): always set for
   * a FIFO queue (the rule's name unless given), set on a standard queue only when given.
   */
  readonly messageGroupId?: string;
}
