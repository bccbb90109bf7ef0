/**
 * Lambda: execution environments, invoke, errors, the provided AWS SDK and the REST protocol.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { codeLoadFailed, functionNotFound, LambdaError } from "./errors.ts";
export type { FunctionCode } from "./function-pool.ts";
export { createLambdaService } from "./lambda-service.ts";
export { hasOwnAwsSdk, provideAwsSdk } from "./provided-sdk.ts";
export type {
  FunctionInfo,
  InvokeInput,
  InvokeResult,
  LambdaService,
  LocalLambdaService,
  LogLine,
} from "./types.ts";
export type { FunctionCodeFile } from "./wire/configuration.ts";
export { handleLambda, LAMBDA_PREFIX } from "./wire/lambda-rest.ts";
export { refusedHandler } from "./worker/path.ts";
