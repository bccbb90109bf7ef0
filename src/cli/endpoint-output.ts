/** How `sluice dev` shows the AWS endpoint: its URL and IAM mode at start, and IAM denials as they happen. */
import type { DevEvent } from "../dev/dev-session.ts";
import { IAM_MODES, type IamMode } from "../local/endpoint/index.ts";
import { gotValue } from "../model/errors.ts";
import { permissionWarnings } from "../model/iam/permission-warnings.ts";
import { bold, type Output } from "./output.ts";
import { UsageError } from "./usage-error.ts";

export function iamOption(value: unknown): IamMode {
  if (value === undefined) return "warn";
  if (typeof value === "string" && (IAM_MODES as readonly string[]).includes(value)) return value as IamMode;
  throw new UsageError(gotValue(`--iam takes one of ${IAM_MODES.join(", ")}`, value), "dev");
}

export function printEndpointEvent(output: Output, event: DevEvent, iam: IamMode): void {
  switch (event.type) {
    case "ready": {
      output.out(`  AWS endpoint      ${event.url}  (functions get it as AWS_ENDPOINT_URL; IAM: ${iam})`);
      for (const warning of permissionWarnings(event.spec)) {
        output.err(`warning: ${warning.path}: ${warning.message}`);
      }
      return;
    }
    case "iam-denied": {
      const verdict = event.mode === "enforce" ? "DENIED" : "would be denied on AWS";
      const list = (items: readonly string[]) => `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;
      // A server fleet (issue 19) runs its functions with one role: any of them can hold the grant.
      const who = event.fleet === undefined ? event.function : `fleet ${event.function}`;
      const where =
        event.fleet === undefined
          ? `functions.${event.function}.permissions`
          : `${event.fleet.functions.map((fn) => `functions.${fn}.permissions`).join(" or ")} (the function that makes the call)`;
      output.err(
        bold(
          output,
          `[${who}] IAM ${verdict}: ${event.action} on ${event.resource} is not in its permissions`,
        ),
      );
      output.err(
        `  grant it: ${where}: [{ actions: ${list(event.grant.actions)}, resources: ${list(event.grant.resources)} }]`,
      );
      if (event.mode === "warn")
        output.err("  (sluice dev --iam enforce answers such calls with AccessDenied, as AWS will)");
      return;
    }
    case "endpoint-error":
      output.err(
        `endpoint: internal error (please report) in ${event.operation}: ${(event.error as Error)?.stack ?? String(event.error)}`,
      );
      return;
    default:
      return;
  }
}
