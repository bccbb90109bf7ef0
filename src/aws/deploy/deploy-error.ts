import { SluiceError } from "../../model/errors.ts";

/** Codes of the deploy errors a user can act on. */
export const DEPLOY_ERROR = {
  notBootstrapped: "SLUICE_NOT_BOOTSTRAPPED",
  stackBusy: "SLUICE_STACK_BUSY",
  rollbackComplete: "SLUICE_STACK_ROLLBACK_COMPLETE",
  changeSetFailed: "SLUICE_CHANGE_SET_FAILED",
  declined: "SLUICE_DEPLOY_DECLINED",
  stackFailed: "SLUICE_STACK_FAILED",
  functionsFailed: "SLUICE_FUNCTIONS_NOT_ACTIVE",
  noStack: "SLUICE_NO_STACK",
  parameter: "SLUICE_PARAMETER_MISSING",
  hook: "SLUICE_SWITCHOVER_HOOK",
  timeout: "SLUICE_DEPLOY_TIMEOUT",
  unknownFunction: "SLUICE_UNKNOWN_FUNCTION",
  /** A server fleet's target group did not report enough healthy targets in time (fleet-health.ts). */
  fleetUnhealthy: "SLUICE_FLEET_UNHEALTHY",
} as const;

export class DeployError extends SluiceError {}
