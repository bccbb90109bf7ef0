/**
 * Elastic Load Balancing v2's query protocol (`Action=…&Version=2015-12-01`, XML answers), as
 * `@aws-sdk/client-elastic-load-balancing-v2` and the AWS CLI speak it. `sluice cloud` answers
 * DescribeTargetHealth only, what deploy waits on for a server fleet:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetHealth.html
 */
import type { ServerResponse } from "node:http";
import { AwsError } from "../../../model/errors.ts";
import { asString, element, queryTree, sendQueryError, sendQueryResponse, text } from "../../wire/index.ts";
import {
  type TargetHealthDescription,
  type TargetHealthSource,
  targetGroupNotFound,
} from "../target-health.ts";

export const ELBV2_XMLNS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
const VERSION = "2015-12-01";

export interface Elbv2QueryContext {
  readonly region: string;
  readonly requestId: string;
}

export async function handleElbv2Query(
  source: TargetHealthSource,
  params: URLSearchParams,
  context: Elbv2QueryContext,
  res: ServerResponse,
): Promise<void> {
  const q = queryTree(params);
  const action = asString(q.Action) ?? "";
  try {
    if (asString(q.Version) !== VERSION) {
      throw new AwsError(
        "InvalidAction",
        `Could not find operation ${action} for version ${asString(q.Version) ?? "(none)"}`,
        400,
      );
    }
    if (action !== "DescribeTargetHealth") {
      throw new AwsError(
        "InvalidAction",
        `Sluice's local cloud serves Elastic Load Balancing's DescribeTargetHealth only, not ${action}.`,
        400,
      );
    }
    const arn = asString(q.TargetGroupArn);
    if (arn === undefined || arn === "") {
      throw new AwsError(
        "ValidationError",
        "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null",
        400,
      );
    }
    const targets = await source(context.region, arn);
    if (targets === undefined) throw targetGroupNotFound(arn);
    sendQueryResponse(
      res,
      action,
      ELBV2_XMLNS,
      element("TargetHealthDescriptions", targets.map(targetXml).join("")),
      context.requestId,
    );
  } catch (error) {
    sendQueryError(res, error, context.requestId, ELBV2_XMLNS);
  }
}

function targetXml(target: TargetHealthDescription): string {
  const { health } = target;
  return element(
    "member",
    element("Target", text("Id", target.id) + text("Port", target.port)) +
      text("HealthCheckPort", target.healthCheckPort) +
      element(
        "TargetHealth",
        text("State", health.state) + text("Reason", health.reason) + text("Description", health.description),
      ),
  );
}
