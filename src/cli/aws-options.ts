/**
 * What the AWS-facing commands share: their options, regions, stage, confirmation before
 * deleting data, and an output that masks secrets (credentials from the environment, the
 * health checkers' secret) whatever prints them.
 */
import { createInterface } from "node:readline/promises";
import {
  type BucketContents,
  type Confirm,
  checkStageName,
  type DataAtStake,
  DEFAULT_STAGE,
  DEPLOY_ERROR,
  DeployError,
  type Polling,
  parseRegions,
  polling,
  totalMessages,
} from "../aws/deploy/index.ts";
import { type LoadedApp, loadApp } from "../bundle/load-app.ts";
import { gotValue } from "../model/errors.ts";
import { appRegions } from "../model/failover.ts";
import { appDir, type ParsedArgs } from "./command.ts";
import type { Output } from "./output.ts";
import { UsageError } from "./usage-error.ts";

/** Options of the commands that read a deployed stage (status, logs). */
export const STAGE_OPTIONS = {
  dir: { type: "string" },
  json: { type: "boolean" },
  stage: { type: "string" },
  region: { type: "string" },
  "endpoint-url": { type: "string" },
} as const;

/** Options of the commands that change a stage (deploy, destroy): those of STAGE_OPTIONS and --yes. */
export const AWS_OPTIONS = { ...STAGE_OPTIONS, yes: { type: "boolean" } } as const;

export const AWS_OPTIONS_HELP = [
  "  --stage NAME        the stage: physical names and the stack are <app>-<stage>[-...] (default: dev)",
  "  --region R[,R2...]  Region(s) (default: the definition's region)",
  "  --endpoint-url URL  send every AWS call to URL (e.g. a `sluice cloud` endpoint)",
  "  --dir DIR           the app's folder (default: the current folder)",
  "  --json              print the result as JSON",
  "Credentials come from the AWS SDK's default chain (environment, profile, SSO) and are never printed.",
];

/**
 * --stage, checked as deploy names stages; without it `fallback` (default: DEFAULT_STAGE), which
 * `sluice serve` passes as undefined: no stage there means the definition's own resources.
 */
export function stageOption(args: ParsedArgs, command: string): string;
export function stageOption<F extends string | undefined>(
  args: ParsedArgs,
  command: string,
  fallback: F,
): string | F;
export function stageOption(
  args: ParsedArgs,
  command: string,
  ...fallback: [string | undefined] | []
): string | undefined {
  const stage =
    (args.values.stage as string | undefined) ?? (fallback.length === 0 ? DEFAULT_STAGE : fallback[0]);
  if (stage === undefined) return undefined;
  try {
    checkStageName(stage);
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
  return stage;
}

/**
 * The regions a command acts in: --region's list, else `fallback` (the definition's region, or
 * every region of an app with `regions`). `allowed`, when given (an app with `regions`), bounds
 * --region: a region outside the app's would act on a stack the app never deploys.
 */
export function regionsOption(
  args: ParsedArgs,
  fallback: string | readonly string[],
  command: string,
  allowed?: readonly string[],
): string[] {
  const value = args.values.region as string | undefined;
  if (value === undefined) return typeof fallback === "string" ? [fallback] : [...fallback];
  let regions: string[];
  try {
    regions = parseRegions(value);
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
  const outside = allowed === undefined ? [] : regions.filter((region) => !allowed.includes(region));
  if (outside.length > 0) {
    throw new UsageError(
      gotValue(
        `--region must name regions of the app (its definition's regions: ${allowed?.join(", ")})`,
        outside.join(","),
      ),
      command,
    );
  }
  return regions;
}

export function endpointOption(args: ParsedArgs, command: string): string | undefined {
  const value = args.values["endpoint-url"] as string | undefined;
  if (value === undefined) return undefined;
  if (!/^https?:\/\/[^\s/]+/.test(value)) {
    throw new UsageError(
      gotValue("--endpoint-url takes an http(s) URL such as http://127.0.0.1:4566", value),
      command,
    );
  }
  return value;
}

/** What every stage command reads first: the stage, the endpoint, and an output masking secrets. */
export interface StageTarget {
  readonly stage: string;
  readonly endpointUrl: string | undefined;
  /** What the output masks; a command adds the secrets it learns (a health checker ID). */
  readonly secrets: Set<string>;
  readonly output: Output;
}

export function stageTarget(args: ParsedArgs, rawOutput: Output, command: string): StageTarget {
  const stage = stageOption(args, command);
  const endpointUrl = endpointOption(args, command);
  const secrets = new Set(environmentSecrets());
  return { stage, endpointUrl, secrets, output: redactingOutput(rawOutput, secrets) };
}

/**
 * The app in `dir` (or the folder named by --dir) and the regions to act in: --region, else its
 * own (every region of its `regions`, primary first).
 */
export async function appAndRegions(
  args: ParsedArgs,
  dir: string | undefined,
  command: string,
): Promise<{ app: LoadedApp; regions: string[] }> {
  const app = await loadApp(appDir(args, dir));
  // An app with `regions` is deployed, destroyed and shown in all of them unless --region narrows it.
  const all = appRegions(app.spec);
  const allowed = app.spec.regions === undefined ? undefined : all;
  return { app, regions: regionsOption(args, all, command, allowed) };
}

/** Both ends are a terminal: a person can answer a question. */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
}

/** One line per resource whose data would be lost. */
export function atStakeLines(atStake: readonly DataAtStake[]): string[] {
  return atStake.map((item) => {
    const where = item.physicalId ? ` (${item.physicalId})` : "";
    if (item.objects) return `  ${item.logicalId} ${item.type}${where} — ${bucketAtStake(item.objects)}`;
    const count = item.depth
      ? `: ${totalMessages(item.depth)} message(s) (${item.depth.visible} waiting, ${item.depth.inFlight} in flight, ${item.depth.delayed} delayed)`
      : item.items !== undefined
        ? `: about ${item.items} item(s) (DynamoDB's ItemCount, refreshed about every six hours)`
        : "";
    return `  ${item.logicalId} ${item.type}${where} — loses ${item.what}${count}`;
  });
}

/** S3 deletes only an empty bucket, so CloudFormation deletes no object: it leaves the bucket. */
function bucketAtStake(contents: BucketContents): string {
  if (contents.objects === 0 && !contents.versions) return "empty: deleted";
  const held =
    contents.objects > 0
      ? `holds ${contents.objects}${contents.more ? "+" : ""} object(s)`
      : "holds noncurrent object versions";
  return `${held}, and S3 deletes only an empty bucket (BucketNotEmpty): CloudFormation leaves it in place, outside the stack on a deploy, in DELETE_FAILED on a destroy. Empty it first to delete it`;
}

/**
 * `--yes` goes on; a terminal gets a question (one at a time across regions); without a
 * terminal the command refuses, since nobody can answer.
 */
export function confirmer(output: Output, yes: boolean, isInteractive = interactive()): Confirm {
  let queue = Promise.resolve(true);
  return (request) => {
    const ask = async () => {
      const lines = atStakeLines(request.atStake);
      output.err(
        request.action === "destroy"
          ? `Destroying ${request.stackName} (${request.region}) deletes ${lines.length > 0 ? `this data:\n${lines.join("\n")}` : "every resource listed above"}`
          : request.action === "delete-rolled-back"
            ? `${request.stackName} (${request.region}) is in ROLLBACK_COMPLETE and holds no resources: this deploy deletes it, then creates it again`
            : `This deploy replaces or removes data in ${request.stackName} (${request.region}):\n${lines.join("\n")}`,
      );
      if (yes) return true;
      if (!isInteractive) {
        throw new DeployError(
          DEPLOY_ERROR.declined,
          `${request.stackName} in ${request.region}: this ${request.action} deletes data and there is no terminal to confirm on; run it again with --yes to go ahead`,
        );
      }
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(
          request.action === "delete-rolled-back"
            ? `Delete ${request.stackName} and deploy? [y/N] `
            : `${request.action === "destroy" ? "Destroy" : "Deploy"} anyway? [y/N] `,
        );
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    };
    const next = queue.then(ask, ask);
    queue = next.catch(() => false);
    return next;
  };
}

/** Credentials the SDK may read from the environment: never printed. */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"].flatMap((name) => {
    const value = env[name];
    return value && value.length >= 8 ? [value] : [];
  });
}

/** An output that replaces each secret with `****` before it reaches the terminal. */
export function redactingOutput(output: Output, secrets: { values(): Iterable<string> }): Output {
  const clean = (text: string) => {
    let out = text;
    for (const secret of secrets.values()) if (secret.length > 0) out = out.split(secret).join("****");
    return out;
  };
  return {
    out: (text) => output.out(clean(text)),
    err: (text) => output.err(clean(text)),
    color: output.color,
  };
}

/**
 * Polling for the AWS commands. SLUICE_POLL_INTERVAL_MS shortens the interval and
 * SLUICE_POLL_TIMEOUT_MS bounds each wait (tests against `sluice cloud`).
 */
export function cliPolling(env: NodeJS.ProcessEnv = process.env): Polling {
  const interval = Number(env.SLUICE_POLL_INTERVAL_MS);
  const timeout = Number(env.SLUICE_POLL_TIMEOUT_MS);
  return polling({
    ...(Number.isInteger(interval) && interval > 0 ? { intervalMs: interval } : {}),
    ...(Number.isInteger(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
  });
}
