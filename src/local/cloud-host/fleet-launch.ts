/**
 * How `sluice cloud` launches one fleet's `sluice serve` (fleet-processes.ts runs, restarts and
 * stops it): the artifact from the account's S3 unzipped into a folder of its own, then the
 * command line an instance's unit runs, against the cloud's endpoint.
 */
import { type ChildProcess, spawn } from "node:child_process";
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

/** Starts `sluice serve --artifact <dir>` for the plan's fleet, its output piped to the host. */
export function spawnServe(
  launcher: FleetLauncher,
  plan: FleetPlan,
  at: {
    readonly dir: string;
    readonly endpointUrl: string;
    readonly host: string;
    readonly port: number;
    /** Variables the fleet's process gets besides the host's own (its credentials). */
    readonly environment: Readonly<Record<string, string>>;
  },
): ChildProcess {
  return spawn(
    launcher.command,
    [
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
    {
      cwd: at.dir,
      env: processEnvironment({ ...process.env, ...at.environment, AWS_REGION: plan.region }),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
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
