/**
 * The contract between the interpreter and the services a Task state calls (integrations/):
 * the engine evaluates the state's effective input and hands it here with the resource ARN; the
 * port calls the local Lambda, SQS, EventBridge, DynamoDB, S3 or a nested execution and answers
 * with the result Step Functions gives for that integration, or a StatesError-shaped failure.
 * https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html
 */

import type { IntegrationPattern } from "../../model/state-machine-integrations.ts";

export interface TaskRequest {
  /** The state's Resource with Sluice names resolved, e.g. arn:aws:states:::lambda:invoke.waitForTaskToken or a function ARN. */
  readonly resource: string;
  readonly pattern: IntegrationPattern;
  /** The effective input (Parameters / Arguments after evaluation; `Payload` etc. as the integration takes it). */
  readonly parameters: unknown;
  readonly executionArn: string;
  readonly stateName: string;
  /** Present for `.waitForTaskToken`: the token the engine issued (already embedded in `parameters` by the user's `$$.Task.Token`). */
  readonly taskToken?: string;
  /** Credentials/role the machine runs as (its ARN), for integrations that check it. */
  readonly roleArn: string;
  /**
   * The execution's X-Ray trace header (StartExecution's traceHeader), which the calls a task
   * makes carry on, and its state machine's physical name: the trace source `machine:<name>`.
   */
  readonly traceHeader?: string;
  readonly machineName?: string;
  /** Aborted when the state times out, the execution stops, or the cloud closes. */
  readonly signal: AbortSignal;
}

export type TaskOutcome =
  | { readonly kind: "succeeded"; readonly output: unknown }
  | { readonly kind: "failed"; readonly error: string; readonly cause: string }
  /** `.waitForTaskToken` sent its message; the engine now waits for SendTask* on the token. */
  | { readonly kind: "waiting" };

export interface TaskPort {
  run(request: TaskRequest): Promise<TaskOutcome>;
}

/*
 * Who handles which resource:
 * - the engine itself: `arn:aws:states:::states:startExecution` (.sync, .sync:2, .waitForTaskToken)
 *   — a nested execution is its own service; the child's ARN is kept in the parent's durable state;
 * - the port: every other resource, including a distributed Map's ItemReader, which the engine
 *   passes as a TaskRequest with the reader's Resource (`arn:aws:states:::s3:getObject`,
 *   `arn:aws:states:::s3:listObjectsV2`) and its Parameters/Arguments; getObject answers the
 *   object's body as a string, listObjectsV2 the array of Contents entries.
 */
