/** STS GetCallerIdentity over the query protocol, which SDKs and CLIs call to learn who they are. */
import type { ServerResponse } from "node:http";
import { assumedRoleArn } from "../../../model/iam/function-grants.ts";
import { functionUserId } from "../../../model/iam/principal-id.ts";
import { partition } from "../../../model/naming.ts";
import { SqsError } from "../../sqs/index.ts";
import { type AwsCall, sendQueryError, sendQueryResponse, text } from "../../wire/index.ts";

export const STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

export function handleSts(action: string, call: AwsCall, res: ServerResponse): void {
  try {
    if (action !== "GetCallerIdentity") {
      throw new SqsError(
        "InvalidAction",
        `Sluice's endpoint serves STS GetCallerIdentity only, not ${action}.`,
      );
    }
    // GetCallerIdentity needs no permission (AWS: "No permissions are required").
    const { spec, caller } = call;
    const identity = caller
      ? {
          Arn: assumedRoleArn(spec, caller),
          UserId: functionUserId(caller),
          Account: spec.accountId,
        }
      : {
          Arn: `arn:${partition(spec.region)}:iam::${spec.accountId}:root`,
          UserId: spec.accountId,
          Account: spec.accountId,
        };
    const result =
      text("Arn", identity.Arn) + text("UserId", identity.UserId) + text("Account", identity.Account);
    sendQueryResponse(res, "GetCallerIdentity", STS_XMLNS, result, call.requestId);
  } catch (error) {
    call.reportBug(error);
    sendQueryError(res, error, call.requestId, STS_XMLNS);
  }
}
