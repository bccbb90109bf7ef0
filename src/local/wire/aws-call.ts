import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";

/**
 * One AWS API call as a protocol handler sees it, whatever the wire protocol. `Cloud` is what the
 * handler needs from the local cloud, which each surface's wire folder names (SqsCall, LambdaCall,
 * EventsCall): the shared codecs never name the cloud that composes the surfaces.
 */
export interface AwsCall<Cloud = unknown> {
  readonly cloud: Cloud;
  readonly spec: AppSpec;
  /** The endpoint's own URL; queue URLs are built on it. */
  readonly endpointUrl: string;
  readonly requestId: string;
  /**
   * The region the call was signed for (the cloud's own when unsigned). A resource named only by
   * name is looked up there; a region the cloud does not serve is empty.
   */
  readonly region: string;
  /** The function that signed the call; absent for the user's own scripts and CLIs. */
  readonly caller?: FunctionSpec;
  /**
   * The request's `X-Amzn-Trace-Id` (issue 20): a function's SDK sends its `_X_AMZN_TRACE_ID`
   * (the recursion-detection middleware), and SendMessage(Batch), PutEvents, Invoke and
   * StartExecution carry it on, as AWS services do.
   * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
   */
  readonly traceHeader?: string;
  /** Aborted when the client goes away (ends long polls). */
  readonly signal: AbortSignal;
  /**
   * Checks that the caller may perform `action` (IAM's name, e.g. `sqs:SendMessage`) on
   * `resource` (an ARN, or `*`). Throws AccessDeniedError under `--iam enforce`. Then, whatever
   * IAM said, a resource ARN in another region or account than the cloud's does not exist here:
   * throws the service's not-found error (resource-scope.ts).
   */
  authorize(action: string, resource: string): void;
  /** Reports an error that is not AWS's answer but a bug; the caller still gets InternalError. */
  reportBug(error: unknown): void;
}
