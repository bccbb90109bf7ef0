/**
 * What the integrations need from the local cloud: the surfaces a Task state calls, by their
 * interfaces. LocalCloud passes itself (it has each member); tests may too. Kept structural so
 * this folder never imports local-cloud.ts (which composes it).
 */
import type { AppSpec } from "../../../model/app-spec.ts";
import type { PutEventsEntry } from "../../events/index.ts";
import type { InvokeResult } from "../../lambda/index.ts";
import type { S3Store } from "../../s3/index.ts";
import type { QueueService } from "../../sqs/index.ts";

export interface TaskServices {
  readonly spec: AppSpec;
  /**
   * A synchronous invoke by definition name whose routes are delivered before it returns
   * (LocalCloud.invoke); `serialized`: the payload is JSON.stringify's output, so only its size is checked.
   */
  invoke(
    functionName: string,
    payload: string,
    options?: { clientContext?: string; serialized?: boolean; traceHeader?: string; source?: string },
  ): Promise<InvokeResult>;
  /**
   * An asynchronous (`Event`) invoke by definition name, accepted durably, continuing
   * `traceHeader`'s trace, caused by `source`.
   */
  invokeAsync(
    functionName: string,
    payload: string,
    traceHeader?: string,
    source?: string,
  ): { requestId: string };
  readonly sqs: QueueService;
  readonly events: {
    putEvents(entries: readonly PutEventsEntry[]): {
      readonly FailedEntryCount: number;
      readonly Entries: readonly object[];
    };
  };
  readonly dynamodb: { execute(action: string, input: Readonly<Record<string, unknown>>): unknown };
  readonly s3: S3Store;
}
