import type { FunctionSpec } from "../app-spec.ts";
import { functionRoleName } from "./function-grants.ts";

/**
 * The ids AWS gives the principal a function's calls are made as: its execution role, assumed by
 * Lambda in a session named after the function. STS GetCallerIdentity answers it as `UserId`, and
 * SQS records it as a message's `SenderId` ("For an IAM role, returns the IAM role ID, for example
 * ABCDE1F2GH3I4JK5LMNOP:i-a123b456").
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */

/** IAM's unique ids are upper-case letters and digits; a role's begins with `AROA`. */
const ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ROLE_ID_PREFIX = "AROA";
const ROLE_ID_LENGTH = 21;

/** A stable role id in AWS's shape (`AROA` and 17 letters or digits), derived from the role's name. */
export function functionRoleId(fn: FunctionSpec): string {
  const name = functionRoleName(fn);
  let id = ROLE_ID_PREFIX;
  // FNV-1a, re-seeded per character: deterministic without a hash library (the model imports none).
  for (let i = 0; id.length < ROLE_ID_LENGTH; i++) {
    let h = 0x811c9dc5 ^ i;
    for (let c = 0; c < name.length; c++) h = Math.imul(h ^ name.charCodeAt(c), 0x01000193);
    id += ID_CHARACTERS[(h >>> 0) % ID_CHARACTERS.length];
  }
  return id;
}

/** `<role id>:<session name>`: GetCallerIdentity's `UserId` and SQS's `SenderId` for the function. */
export function functionUserId(fn: FunctionSpec): string {
  return `${functionRoleId(fn)}:${fn.functionName}`;
}
