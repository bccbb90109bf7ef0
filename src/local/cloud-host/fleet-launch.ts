/**
 * How `sluice cloud` launches one fleet's `sluice serve` (fleet-processes.ts runs, restarts and
 * stops it): the artifact from the account's S3 unzipped into a folder of its own, then the
 * command line an instance's unit runs, against the cloud's endpoint.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { S3Store } from "../s3/index.ts";
import type { FleetPlan } from "./translate-servers.ts";

/** How the host starts `sluice serve`: the CLI gives its own entry point and the artifact unzipper. */
export interface FleetLauncher {
  /** The executable (`process.execPath`). */
  readonly command: string;
  /** Arguments before `serve …` (the CLI's entry file). */
  readonly args: readonly string[];
  /** Unzips a server artifact into `dir` (bundle/server-artifact.ts unzipServerArtifact). */
  unzip(zipFile: string, dir: string): void;
}

/**
 * Downloads the plan's artifact and unzips it into
 * `<stateDir>/fleets/<region>/<stack>/<fleet>/<hash of signature>/`, a fresh folder.
 */
export function unpackArtifact(
  stateDir: string,
  plan: FleetPlan,
  signature: string,
  s3: Pick<S3Store, "getObject">,
  launcher: FleetLauncher,
): string {
  const dir = join(
    stateDir,
    "fleets",
    plan.region,
    safe(plan.stackName),
    safe(plan.fleet),
    createHash("sha256").update(signature).digest("hex").slice(0, 16),
  );
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const zipFile = `${dir}.zip`;
  writeFileSync(zipFile, s3.getObject(plan.artifact.bucket, plan.artifact.key).body);
  try {
    launcher.unzip(zipFile, dir);
  } finally {
    // The download is only the unzip's input: what runs is the folder.
    rmSync(zipFile, { force: true });
  }
  return dir;
}

/** Where a fleet's process listens and signs; the launcher and plan say what it runs. */
export interface ServeLaunch {
  readonly dir: string;
  readonly endpointUrl: string;
  readonly host: string;
  readonly port: number;
  /** Variables the fleet's process gets besides the few it keeps of the host's (its credentials). */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The host variables a fleet's process keeps: where programs and the home folder are, the temp
 * folder, the locale and zone. Nothing else of `sluice cloud`'s environment reaches it, as an
 * instance's unit or a task starts from a clean one and Lambda gives each function only what its
 * configuration sets (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
 * Not NODE_OPTIONS: it holds the host's own loaders, inspector or heap flags, which are no part
 * of the app; not the host's AWS_* either (a profile, keys, a session token): the process signs
 * only with the credentials it is given, against the endpoint it is given.
 */
const KEPT_HOST_VARIABLES = ["PATH", "HOME", "TMPDIR", "LANG", "TZ"] as const;

/** The command line and spawn options of `sluice serve --artifact <dir>` for the plan's fleet. */
export function serveSpawnArgs(
  launcher: FleetLauncher,
  plan: FleetPlan,
  at: ServeLaunch,
  hostEnv: Readonly<Record<string, string | undefined>> = process.env,
): { command: string; args: string[]; options: SpawnOptions } {
  const kept: Record<string, string | undefined> = {};
  for (const name of KEPT_HOST_VARIABLES) kept[name] = hostEnv[name];
  return {
    command: launcher.command,
    args: [
      ...launcher.args,
      "serve",
      "--artifact",
      at.dir,
      "--fleet",
      plan.fleet,
      "--endpoint-url",
      at.endpointUrl,
      "--region",
      plan.region,
      "--host",
      at.host,
      "--port",
      String(at.port),
    ],
    options: {
      cwd: at.dir,
      env: processEnvironment({ ...kept, ...at.environment, AWS_REGION: plan.region }),
      // The IPC channel is the parent's lifeline: serve closes gracefully when it disconnects,
      // so a cloud that dies without stopping its fleets (SIGKILL) leaves no server behind.
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    },
  };
}

/** Starts `sluice serve --artifact <dir>` for the plan's fleet, its output piped to the host. */
export function spawnServe(launcher: FleetLauncher, plan: FleetPlan, at: ServeLaunch): ChildProcess {
  const { command, args, options } = serveSpawnArgs(launcher, plan, at);
  return spawn(command, args, options);
}

/** The variables as given, an empty one removed (an empty session token is no token). */
function processEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== "") out[name] = value;
  return out;
}

/** The artifact and what the command line says: a change to any restarts the process. */
export function signatureOf(plan: FleetPlan): string {
  return JSON.stringify([plan.artifact.bucket, plan.artifact.key, plan.port ?? null, plan.fleet]);
}

/** Stack and fleet names become folder names: only their safe characters. */
function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}
