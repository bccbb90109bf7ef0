/** Deploying to AWS (or to `sluice cloud` through --endpoint-url) with the AWS SDK v3. */
export { artifactKey, uploadArtifacts } from "./artifacts.ts";
export { BOOTSTRAP_STACK, artifactBucket, bootstrapRegion, bootstrapTemplate } from "./bootstrap.ts";
export { capabilitiesFor } from "./capabilities.ts";
export {
  type ChangeSummary,
  type ResourceDiff,
  STATEFUL_TYPES,
  isEmptySummary,
  summariseChanges,
} from "./change-diff.ts";
export { isNoChangesReason } from "./change-set.ts";
export { type AwsClients, type ClientOptions, accountId, createClients } from "./clients.ts";
export { type BucketContents, type DataAtStake, type QueueDepth, totalMessages } from "./data-at-stake.ts";
export { type DeployTarget, type GenerationResult, stagedSpec } from "./deploy-app.ts";
export { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
export {
  type Confirm,
  DEPLOY_PHASES,
  type DeployEvent,
  type DeployListener,
  type DeployPhase,
  type StackEventRow,
} from "./deploy-events.ts";
export {
  type AppDeployOptions,
  type AppDeployResult,
  type GlobalPartResult,
  type PhaseFailure,
  deployApp,
  hasGlobalParts,
} from "./deploy-global.ts";
export { type GlobalHealthStatus, type RegionHealthStatus, globalHealthStatus } from "./health-status.ts";
export {
  type RegionDeployOptions,
  type RegionDeployResult,
  STRATEGIES,
  type Strategy,
  type SwitchoverReport,
  deployRegion,
} from "./deploy-region.ts";
export type { StackContext, StackDeployResult } from "./deploy-stack.ts";
export { type DestroyPlan, type DestroyResult, destroyStacks, planDestroy } from "./destroy.ts";
export type { DeployedFunctionState } from "./function-states.ts";
export { LogReader, type LogEvent, isMissingLogGroup, parseSince } from "./logs.ts";
export { copyOf, moveMessages } from "./move-messages.ts";
export {
  HEALTH_CHECKER_ID_ENV,
  ROUTE53_SAFE_SECRET,
  deployParameters,
  secretValues,
} from "./parameters.ts";
export { DEFAULT_POLLING, type Polling, polling } from "./polling.ts";
export { LiveView, plainEventLine } from "./progress-view.ts";
export {
  DEFAULT_STAGE,
  type GlobalPart,
  TAG,
  globalStackName,
  checkStageName,
  parseRegions,
  physicalStage,
  stackTags,
  stageStackName,
} from "./stage.ts";
export { type StageStack, stageStacks } from "./stacks.ts";
export { type StageStatus, type StackStatusReport, stageStatus } from "./status.ts";
export { DEFAULT_HOOK_FILE, type SwitchoverContext, type SwitchoverHook } from "./switchover-hook.ts";
export { templateFitsInline, templateUrl } from "./template-source.ts";
