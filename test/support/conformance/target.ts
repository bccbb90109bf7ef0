/**
 * What a conformance suite runs against. One suite per AWS surface (test/conformance) asks for its
 * fixture app and gets the same handle whether the app runs under `sluice dev` (local, the
 * default) or is deployed to real AWS (SLUICE_CONFORMANCE_TARGET=aws): clients' configuration,
 * physical names, URLs and ARNs, and a way to let time pass. Assertions go through this handle
 * only, so one assertion holds on both targets.
 */
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ROOT } from "../cli-process.ts";
import { startAwsTarget } from "./aws-target.ts";
import { startCloudTarget } from "./cloud-target.ts";
import { startLocalTarget } from "./local-target.ts";
import { chooseTarget, type TargetKind } from "./target-choice.ts";

/** The SDK client options every suite uses; one attempt, so AWS's answers reach the test as sent. */
export interface TargetClientConfig {
  readonly region: string;
  readonly maxAttempts: number;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface ConformanceTarget {
  readonly kind: TargetKind;
  readonly region: string;
  readonly accountId: string;
  readonly clientConfig: TargetClientConfig;
  /** What every physical name of the app starts with: `<app>-`, or `<app>-<stage>-` on AWS. */
  readonly prefix: string;
  /** The physical name of a resource the definition calls `name` (queues keep their `.fifo`). */
  physical(name: string): string;
  /** A name for a resource a test creates through the API, unique to this run on a shared account. */
  scratch(name: string): string;
  queueUrl(physicalName: string): string;
  /** `arn:<partition>:<service>:<region>:<account>:<resource>` in this target's region. */
  arn(service: string, resource: string): string;
  /** The HTTP API's base URL, when the app has one. */
  readonly httpUrl: string | undefined;
  /** The target's time now, in ms since the epoch (the virtual clock locally). */
  now(): Promise<number>;
  /** How far the target's clock may be from this machine's (0 locally). */
  readonly skewMs: number;
  /** Lets `ms` of the target's time pass: dev's or the cloud's clock moves; real time passes on AWS. */
  elapse(ms: number): Promise<void>;
  /** Starts `call` and resolves once the target is waiting on it (a long poll armed), so a test can act. */
  whenWaiting<T>(call: () => Promise<T>): Promise<{ readonly result: Promise<T> }>;
  /**
   * Test options for a test that checks something only the local target (`sluice dev`) has; its
   * name must say why ("(local-only: …)"). It always runs locally; on the deployed targets (aws,
   * cloud) it is reported as skipped.
   */
  localOnly(): { skip: string | false };
  close(): Promise<void>;
}

export interface TargetOptions {
  /** Local only: how `sluice dev` checks functions' calls; AWS and `sluice cloud` always enforce IAM here. @default "warn" */
  readonly iam?: "enforce" | "warn";
}

/** The fixture apps of the conformance suites: test/fixtures/apps/conformance/<name>. */
export function fixtureDir(name: string): string {
  return join(ROOT, "test", "fixtures", "apps", "conformance", name);
}

/**
 * True when the SDK's default chain resolves credentials (no call is made to AWS): environment,
 * shared files, SSO, web identity, container and instance metadata, in the SDK's order
 * (https://docs.aws.amazon.com/sdk-for-javascript/latest/developer-guide/setting-credentials-node.html).
 */
export async function sdkHasCredentials(): Promise<boolean> {
  const sts = new STSClient({ region: "us-east-1" });
  try {
    await sts.config.credentials();
    return true;
  } catch {
    return false;
  } finally {
    sts.destroy();
  }
}

/** The account the SDK's default credentials belong to. */
export async function callerAccount(region: string): Promise<string> {
  const sts = new STSClient({ region });
  try {
    const account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
    if (!account) throw new Error("STS GetCallerIdentity answered no account");
    return account;
  } finally {
    sts.destroy();
  }
}

/** Starts (locally) or deploys (on AWS) the fixture app `name` and returns its target. */
export async function startTarget(name: string, options: TargetOptions = {}): Promise<ConformanceTarget> {
  const choice = await chooseTarget(process.env, sdkHasCredentials);
  if (choice.kind === "aws") return startAwsTarget(fixtureDir(name), choice);
  if (choice.kind === "cloud") return startCloudTarget(fixtureDir(name), choice);
  return startLocalTarget(fixtureDir(name), options);
}
