import { ConfigError } from "../model/config-error.ts";
import { SluiceError } from "../model/errors.ts";

/**
 * One line for an error from an AWS-facing command: Sluice's own message, or the AWS error's code
 * and message (an SDK error is the service's answer, not a Sluice bug, so no stack).
 */
export function awsErrorMessage(error: unknown): string {
  if (error instanceof ConfigError || error instanceof SluiceError) return error.message;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === "CredentialsProviderError") {
    return `no AWS credentials: ${e.message}. Set AWS_PROFILE, run \`aws sso login\`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`;
  }
  const code = (error as { code?: string })?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ECONNRESET") {
    return `cannot reach the AWS endpoint (${code}): ${e.message ?? ""}; check --endpoint-url, or that \`sluice cloud\` is running`;
  }
  if (e?.$metadata !== undefined) return `${e.name ?? "AWS error"}: ${e.message ?? ""}`;
  if (e?.name === "TypeError" || e?.name === "ReferenceError")
    return `internal error (please report): ${(error as Error).stack}`;
  return (error as Error)?.message ?? String(error);
}
