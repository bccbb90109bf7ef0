/**
 * Step Functions: state machines and their executions on the local clock, and its JSON protocol.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { LocalStateMachine, StepFunctionsEngineOptions } from "./engine/engine-options.ts";
export { StepFunctionsEngine } from "./engine/step-functions-engine.ts";
// The TaskPort over a local cloud's surfaces (LocalCloud composes it with the engine).
export { localTaskPort, type TaskServices } from "./integrations/index.ts";
export {
  EXECUTION_STATUSES,
  type ExecutionDescription,
  type ExecutionStatus,
  type ExecutionSummary,
  type HistoryEvent,
  SfnApiError,
  type StateMachineSummary,
  type StepFunctionsApi,
} from "./service-api.ts";
export type { TaskOutcome, TaskPort, TaskRequest } from "./task-port.ts";
export { handleSfnJson, SFN_TARGET_PREFIX, type SfnCall } from "./wire/sfn-json.ts";
export { checkExecutionInputSize } from "./wire/sfn-members.ts";
