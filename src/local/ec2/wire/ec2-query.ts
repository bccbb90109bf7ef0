/**
 * EC2's query protocol (`Action=…&Version=2016-11-15`, `Filter.N.Name`/`Filter.N.Value.M`), as
 * `@aws-sdk/client-ec2` and the AWS CLI speak it. Its answers differ from other query services':
 * lower-camel elements, lists as `<…Set><item>`, `<requestId>` inside the answer, and errors as
 * `<Response><Errors><Error>`. `sluice cloud` answers what deploy asks for a server fleet:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 */
import type { ServerResponse } from "node:http";
import { AwsError } from "../../../model/errors.ts";
import {
  asString,
  describeError,
  element,
  field,
  indexed,
  type QueryNode,
  queryTree,
  sendXml,
  text,
} from "../../wire/index.ts";
import { describeSubnets, describeVpcs, type Ec2Filter } from "../default-network.ts";

export const EC2_XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";
const VERSION = "2016-11-15";

export interface Ec2QueryContext {
  readonly region: string;
  readonly requestId: string;
  /** Why the signature's region is refused (not an AWS Region): the host's own error. */
  readonly regionRefused?: AwsError;
}

export function handleEc2Query(params: URLSearchParams, context: Ec2QueryContext, res: ServerResponse): void {
  const q = queryTree(params);
  const action = asString(q.Action) ?? "";
  try {
    if (context.regionRefused) throw context.regionRefused;
    if (asString(q.Version) !== VERSION) {
      throw new AwsError("InvalidAction", `The action ${action} is not valid for this web service.`, 400);
    }
    const filters = filtersOf(q.Filter);
    let items: string;
    if (action === "DescribeVpcs") {
      items = element(
        "vpcSet",
        describeVpcs(strings(q.VpcId), filters)
          .map((v) =>
            element(
              "item",
              text("vpcId", v.vpcId) +
                text("state", "available") +
                text("cidrBlock", v.cidrBlock) +
                text("isDefault", String(v.isDefault)),
            ),
          )
          .join(""),
      );
    } else if (action === "DescribeSubnets") {
      items = element(
        "subnetSet",
        describeSubnets(context.region, strings(q.SubnetId), filters)
          .map((s) =>
            element(
              "item",
              text("subnetId", s.subnetId) +
                text("state", "available") +
                text("vpcId", s.vpcId) +
                text("cidrBlock", s.cidrBlock) +
                text("availabilityZone", s.availabilityZone) +
                text("defaultForAz", String(s.defaultForAz)) +
                text("mapPublicIpOnLaunch", "true"),
            ),
          )
          .join(""),
      );
    } else {
      throw new AwsError(
        "InvalidAction",
        `Sluice's local cloud serves EC2's DescribeVpcs and DescribeSubnets only, not ${action}.`,
        400,
      );
    }
    const body = `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${EC2_XMLNS}">${text("requestId", context.requestId)}${items}</${action}Response>`;
    sendXml(res, 200, body, context.requestId);
  } catch (error) {
    const wire = describeError(error, true);
    const body = `<?xml version="1.0" encoding="UTF-8"?><Response>${element(
      "Errors",
      element("Error", text("Code", wire.queryCode) + text("Message", wire.message)),
    )}${text("RequestID", context.requestId)}</Response>`;
    sendXml(res, wire.status, body, context.requestId);
  }
}

/** `Filter.N.Name` and `Filter.N.Value.M`. */
function filtersOf(node: QueryNode | undefined): Ec2Filter[] {
  return indexed(node).map((f) => ({
    name: asString(field(f, "Name")) ?? "",
    values: strings(field(f, "Value")),
  }));
}

/** `Name.N` as a list of strings. */
function strings(node: QueryNode | undefined): string[] {
  return indexed(node).flatMap((v) => (typeof v === "string" ? [v] : []));
}
