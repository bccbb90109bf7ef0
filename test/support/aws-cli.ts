/**
 * Debian's AWS CLI (`/usr/bin/aws`) against a local endpoint, as a user runs it: its own HOME and
 * config files (so nothing of the machine's leaks in), script credentials, no pager.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCRIPT_CREDENTIALS } from "./endpoint.ts";

export const AWS_CLI = "/usr/bin/aws";

export interface AwsCliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface AwsCli {
  /** A folder of its own, the CLI's HOME: put the files to upload here. */
  readonly home: string;
  run(...args: string[]): Promise<AwsCliResult>;
  cleanup(): void;
}

export function awsCli(endpoint: string, region = "us-east-1"): AwsCli {
  if (!existsSync(AWS_CLI)) {
    throw new Error(`${AWS_CLI} is missing: install Debian's awscli (apt-get install -y awscli)`);
  }
  const home = mkdtempSync(join(tmpdir(), "sluice-awscli-"));
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    AWS_ACCESS_KEY_ID: SCRIPT_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SCRIPT_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    AWS_PAGER: "",
  };
  return {
    home,
    run: (...args) =>
      new Promise((resolve) => {
        execFile(AWS_CLI, ["--endpoint-url", endpoint, ...args], { env }, (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
        });
      }),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
