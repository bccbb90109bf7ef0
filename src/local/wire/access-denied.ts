import { AwsError } from "../../model/errors.ts";

/**
 * AWS's AccessDenied; each protocol renders it with its own code (AccessDenied,
 * AccessDeniedException). It lives with the shared codecs, not with the IAM guard that throws it,
 * because every protocol's error writer must recognise it and the codecs import no surface.
 */
export class AccessDeniedError extends AwsError {
  constructor(
    readonly principal: string,
    readonly action: string,
    readonly resource: string,
    readonly hint: string,
  ) {
    super("AccessDeniedException", `${principal} may not ${action} on ${resource}`, 403, {
      action,
      resource,
    });
  }

  /** AWS's wording; SQS writes the action in lower case, Lambda as spelled. */
  awsMessage(lowerCaseAction: boolean): string {
    const action = lowerCaseAction ? this.action.toLowerCase() : this.action;
    return `User: ${this.principal} is not authorized to perform: ${action} on resource: ${this.resource} because no identity-based policy allows the ${action} action. ${this.hint}`;
  }
}
