/**
 * Which target the conformance suites (test/conformance) run against, from the environment:
 * `local` (the default) starts `sluice dev` on each suite's fixture app; `aws` deploys the same
 * app to real AWS and needs both the opt-in variable and credentials in the SDK's default chain;
 * `cloud` deploys it the same way to a `sluice cloud` account in the test process.
 * Pure: the credentials lookup is passed in, so test/unit can prove the refusal without a network.
 */

export const TARGET_VARIABLE = "SLUICE_CONFORMANCE_TARGET";
export const STACK_VARIABLE = "SLUICE_CONFORMANCE_STACK";
export const REGION_VARIABLE = "SLUICE_CONFORMANCE_REGION";

/** The stage the AWS run deploys to when SLUICE_CONFORMANCE_STACK is not set. */
export const DEFAULT_AWS_STAGE = "conformance";
export const DEFAULT_AWS_REGION = "us-east-1";

export const TARGET_KINDS = ["local", "aws", "cloud"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export type TargetChoice =
  | { readonly kind: "local" }
  | { readonly kind: "aws"; readonly stage: string; readonly region: string }
  | { readonly kind: "cloud"; readonly stage: string };

/** Why a run cannot use the target it asked for; the message says how to fix it. */
export class ConformanceTargetError extends Error {
  override readonly name = "ConformanceTargetError";
}

const HOW_TO_AWS =
  "set AWS credentials the SDK's default chain finds (AWS_PROFILE, SSO, or AWS_ACCESS_KEY_ID and " +
  "AWS_SECRET_ACCESS_KEY) and run again; or unset SLUICE_CONFORMANCE_TARGET to run against the local endpoint";

// The stage becomes part of every physical name (`<app>-<stage>-<name>`): short lower-case letters
// and digits keep every queue, function and bus name of the fixtures valid, and never end in -g<N>.
const STAGE = /^[a-z][a-z0-9]{0,15}$/;

/**
 * Reads the target from `env`. `hasCredentials` is asked only for `aws`, and answers whether the
 * SDK's default chain resolves credentials.
 */
export async function chooseTarget(
  env: Readonly<Record<string, string | undefined>>,
  hasCredentials: () => Promise<boolean>,
): Promise<TargetChoice> {
  const asked = env[TARGET_VARIABLE]?.trim() || "local";
  if (asked === "local") return { kind: "local" };
  if (asked !== "aws" && asked !== "cloud") {
    throw new ConformanceTargetError(
      `${TARGET_VARIABLE}=${JSON.stringify(asked)} is not a conformance target; use one of: ${TARGET_KINDS.join(", ")}`,
    );
  }
  const stage = env[STACK_VARIABLE]?.trim() || DEFAULT_AWS_STAGE;
  if (!STAGE.test(stage)) {
    throw new ConformanceTargetError(
      `${STACK_VARIABLE}=${JSON.stringify(stage)} cannot name a stage: use 1 to 16 lower-case letters and digits, starting with a letter`,
    );
  }
  if (asked === "cloud") return { kind: "cloud", stage };
  if (!(await hasCredentials())) {
    throw new ConformanceTargetError(
      `${TARGET_VARIABLE}=aws refuses to run: the AWS SDK's default credential chain found no credentials; ${HOW_TO_AWS}`,
    );
  }
  return { kind: "aws", stage, region: env[REGION_VARIABLE]?.trim() || DEFAULT_AWS_REGION };
}
