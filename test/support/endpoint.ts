/**
 * A `sluice dev` session of the endpoint fixture app, in this process, on a real socket, with
 * AWS SDK v3 clients pointed at it as a user's script would point them.
 */
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import type { Clock } from "../../src/local/clock/clock.ts";
import type { IamMode } from "../../src/local/endpoint/iam-guard.ts";
import { ROOT } from "./cli-process.ts";
import { copyApp } from "./temp.ts";

export const ENDPOINT_APP = join(ROOT, "test", "fixtures", "apps", "endpoint");

/** A copy of an app whose functions can import the AWS SDK: node_modules is linked to the repo's. */
export function copyAppWithSdk(source: string): { dir: string; cleanup(): void } {
  const app = copyApp(source);
  symlinkSync(join(ROOT, "node_modules"), join(app.dir, "node_modules"), "dir");
  return app;
}

export interface EndpointApp {
  /** The app's folder (a temporary copy). */
  readonly dir: string;
  readonly session: DevSession;
  readonly url: string;
  readonly events: DevEvent[];
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
  readonly sts: STSClient;
  close(): Promise<void>;
}

/** Credentials no function was given: the calls of a user's own script. */
export const SCRIPT_CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-checked" };

export function clientConfig(url: string) {
  // One attempt: throttles and 5xx must reach the test, not be retried away.
  return { endpoint: url, region: "us-east-1", credentials: SCRIPT_CREDENTIALS, maxAttempts: 1 };
}

export async function startEndpointApp(options: { clock?: Clock; iam?: IamMode } = {}): Promise<EndpointApp> {
  const app = copyAppWithSdk(ENDPOINT_APP);
  const events: DevEvent[] = [];
  const session = await DevSession.start({
    dir: app.dir,
    watch: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.iam ? { iam: options.iam } : {}),
    onEvent: (event) => events.push(event),
  });
  const config = clientConfig(session.url);
  const sqs = new SQSClient(config);
  const lambda = new LambdaClient(config);
  const sts = new STSClient(config);
  return {
    dir: app.dir,
    session,
    url: session.url,
    events,
    sqs,
    lambda,
    sts,
    async close() {
      for (const client of [sqs, lambda, sts]) client.destroy();
      await session.close();
      app.cleanup();
    },
  };
}

/** The error a promise rejects with, failing when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail");
}

/** HTTP status of an SDK error. */
export function statusOf(error: Record<string, unknown>): number | undefined {
  return (error.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode;
}
