/** Deploying to AWS (or to `sluice cloud` through --endpoint-url) with the AWS SDK v3. */
export { artifactKey, uploadArtifacts } from "./artifacts.ts";
export { artifactBucket, BOOTSTRAP_STACK, bootstrapRegion, bootstrapTemplate } from "./bootstrap.ts";
export { capabilitiesFor } from "./capabilities.ts";
export {
  type ChangeSummary,
  isEmptySummary,
  type ResourceDiff,
  STATEFUL_TYPES,
  summariseChanges,
} from "./change-diff.ts";
export { isNoChangesReason } from "./change-set.ts";
export { type AwsClients, accountId, type ClientOptions, createClients } from "./clients.ts";
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
  deployApp,
  type GlobalPartResult,
  hasGlobalParts,
  type PhaseFailure,
} from "./deploy-global.ts";
export {
  deployRegion,
  type RegionDeployOptions,
  type RegionDeployResult,
  STRATEGIES,
  type Strategy,
  type SwitchoverReport,
} from "./deploy-region.ts";
export type { StackContext, StackDeployResult } from "./deploy-stack.ts";
export { type DestroyPlan, type DestroyResult, destroyStacks, planDestroy } from "./destroy.ts";
export type { DeployedFunctionState } from "./function-states.ts";
export { type GlobalHealthStatus, globalHealthStatus, type RegionHealthStatus } from "./health-status.ts";
export { isMissingLogGroup, type LogEvent, LogReader, parseSince } from "./logs.ts";
export { copyOf, moveMessages } from "./move-messages.ts";
export {
  deployParameters,
  HEALTH_CHECKER_ID_ENV,
  ROUTE53_SAFE_SECRET,
  secretValues,
} from "./parameters.ts";
export { DEFAULT_POLLING, type Polling, polling } from "./polling.ts";
export { LiveView, plainEventLine } from "./progress-view.ts";
export { type StageStack, stageStacks } from "./stacks.ts";
export {
  checkStageName,
  DEFAULT_STAGE,
  type GlobalPart,
  globalStackName,
  parseRegions,
  physicalStage,
  stackTags,
  stageStackName,
  TAG,
} from "./stage.ts";
export { type StackStatusReport, type StageStatus, stageStatus } from "./status.ts";
export { DEFAULT_HOOK_FILE, type SwitchoverContext, type SwitchoverHook } from "./switchover-hook.ts";
export { templateFitsInline, templateUrl } from "./template-source.ts";
