/**
 * A function's Lambda state (Pending, Active, Inactive, Failed) and the status of its last update
 * (InProgress, Successful, Failed), with the reasons GetFunction gives.
 * https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
 */
import type { Clock } from "../clock/index.ts";
import type { Failure } from "./environment.ts";

export const FunctionState = {
  Pending: "Pending",
  Active: "Active",
  Inactive: "Inactive",
  Failed: "Failed",
} as const;
export type FunctionState = (typeof FunctionState)[keyof typeof FunctionState];

export const LastUpdateStatus = {
  Successful: "Successful",
  Failed: "Failed",
  InProgress: "InProgress",
} as const;
export type LastUpdateStatus = (typeof LastUpdateStatus)[keyof typeof LastUpdateStatus];

/** The state fields of Lambda's FunctionConfiguration; reasons are absent when Lambda gives none. */
export interface FunctionConfigurationState {
  readonly state: FunctionState;
  readonly stateReason?: string;
  readonly stateReasonCode?: string;
  readonly lastUpdateStatus: LastUpdateStatus;
  readonly lastUpdateStatusReason?: string;
  readonly lastUpdateStatusReasonCode?: string;
}

export interface Reason {
  readonly reason: string;
  readonly code: string;
}

/** Lambda's wording while a function is created, and while an update is applied. */
const CREATING: Reason = { reason: "The function is being created.", code: "Creating" };
const IDLE: Reason = { reason: "The function is currently idle.", code: "Idle" };
/** Sluice's wording; `Restoring` is the StateReasonCode Lambda has for this. */
const RESTORING: Reason = { reason: "The function is being restored after being idle.", code: "Restoring" };

/** Sluice's default: about how long AWS lets a function idle before it becomes Inactive. */
export const DEFAULT_INACTIVE_AFTER_MS = 14 * 24 * 3_600_000;

export class FunctionStatus {
  private state: FunctionState = FunctionState.Pending;
  private stateReason: Reason | undefined = CREATING;
  private update: LastUpdateStatus = LastUpdateStatus.InProgress;
  private updateReason: Reason | undefined = CREATING;
  /** True until the first environment after creation has initialised or failed to. */
  private creating = true;
  private lastActivityMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly inactiveAfterMs: number,
  ) {
    this.lastActivityMs = clock.now();
  }

  /** The function's state as GetFunction reports it now. Idleness is read off the clock. */
  view(busy: number): FunctionConfigurationState {
    const idle = this.idle(busy);
    const state = idle ? FunctionState.Inactive : this.state;
    const stateReason = idle ? IDLE : this.stateReason;
    return {
      state,
      ...(stateReason ? { stateReason: stateReason.reason, stateReasonCode: stateReason.code } : {}),
      lastUpdateStatus: this.update,
      ...(this.updateReason
        ? {
            lastUpdateStatusReason: this.updateReason.reason,
            lastUpdateStatusReasonCode: this.updateReason.code,
          }
        : {}),
    };
  }

  /**
   * An invocation starts. Returns true when the function was Inactive: it is Pending again until
   * an environment initialises (the caller drops the environments it kept).
   */
  invoked(busy: number): boolean {
    const wasIdle = this.idle(busy);
    this.lastActivityMs = this.clock.now();
    if (wasIdle) this.set(FunctionState.Pending, RESTORING);
    return wasIdle;
  }

  /** An invocation ended: idleness counts from here. */
  settled(): void {
    this.lastActivityMs = this.clock.now();
  }

  /** An environment of the current code finished its init, or failed to. */
  initialised(failure: Reason | undefined): void {
    if (failure === undefined) {
      this.set(FunctionState.Active, undefined);
      if (this.creating) this.setUpdate(LastUpdateStatus.Successful, undefined);
    } else if (this.state === FunctionState.Pending) {
      // The code cannot load: as Lambda marks a function whose creation failed.
      this.set(FunctionState.Failed, failure);
      if (this.creating) this.setUpdate(LastUpdateStatus.Failed, failure);
    }
    this.creating = false;
  }

  beginUpdate(): void {
    this.setUpdate(LastUpdateStatus.InProgress, CREATING);
  }

  /** The new code loads and now serves. */
  updateSucceeded(): void {
    this.creating = false;
    this.setUpdate(LastUpdateStatus.Successful, undefined);
    this.set(FunctionState.Active, undefined);
  }

  /** The update was abandoned: the previous code keeps serving, in whatever state it was. */
  updateFailed(reason: Reason): void {
    this.setUpdate(LastUpdateStatus.Failed, reason);
  }

  /** The code never initialised: there is no previous code to keep serving. */
  get failed(): boolean {
    return this.state === FunctionState.Failed;
  }

  get updating(): boolean {
    return this.update === LastUpdateStatus.InProgress;
  }

  private idle(busy: number): boolean {
    return (
      busy === 0 &&
      this.state === FunctionState.Active &&
      this.clock.now() - this.lastActivityMs >= this.inactiveAfterMs
    );
  }

  private set(state: FunctionState, reason: Reason | undefined): void {
    this.state = state;
    this.stateReason = reason;
  }

  private setUpdate(status: LastUpdateStatus, reason: Reason | undefined): void {
    this.update = status;
    this.updateReason = reason;
  }
}

/**
 * Why an environment could not initialise, as StateReason and StateReasonCode. Lambda's codes for
 * init failures are `FunctionError` and its `FunctionError.*` refinements.
 */
export function initFailureReason(failure: Failure, initLimitMs: number): Reason {
  switch (failure.kind) {
    case "error":
      return { reason: errorText(failure.errorType, failure.payload), code: "FunctionError" };
    case "timeout":
      return {
        reason: `Sandbox.Timedout: the init phase did not finish within ${initLimitMs} ms`,
        code: "FunctionError.InitTimeout",
      };
    case "out-of-memory":
      return {
        reason: "Runtime.OutOfMemory: the function ran out of memory during its init phase",
        code: "FunctionError.InitResourceExhausted",
      };
    case "exit":
      return {
        reason: `Runtime.ExitError: the runtime exited with status ${failure.code} during its init phase`,
        code: "FunctionError.RuntimeInitError",
      };
  }
}

function errorText(errorType: string, payload: string): string {
  try {
    const { errorMessage } = JSON.parse(payload) as { errorMessage?: unknown };
    if (typeof errorMessage === "string") return `${errorType}: ${errorMessage}`;
  } catch {
    // Not an error object: the type alone says what failed.
  }
  return errorType;
}
