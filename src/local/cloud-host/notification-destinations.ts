/**
 * What S3 checks when a bucket's notification configuration is set, read from the region's
 * deployed resources: a function destination must exist and have an `AWS::Lambda::Permission` for
 * `s3.amazonaws.com` (with no SourceArn or this bucket's); a queue destination must exist and have
 * an `AWS::SQS::QueuePolicy` statement allowing `sqs:SendMessage` to S3 (the service principal or
 * `*`), whose `aws:SourceArn` condition, if any, names this bucket. Otherwise S3 answers "Unable to
 * validate the following destination configurations", which is why synth makes the bucket wait
 * for them. https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
 */
import { resourceMatch } from "../../model/iam/match.ts";
import { servicePrincipal } from "../../model/naming.ts";
import { functionNameOf, type NotificationDestination } from "../cloudformation/index.ts";
import { type DeployedResource, json, list, obj, ResourceIndex, str } from "./deployed-resources.ts";

const S3 = servicePrincipal("s3");

export function unreachableDestinations(
  resources: readonly DeployedResource[],
  bucketArn: string,
  destinations: readonly NotificationDestination[],
): NotificationDestination[] {
  const index = new ResourceIndex(resources);
  return destinations.filter((d) =>
    d.kind === "function"
      ? !functionReachable(index, d.arn, bucketArn)
      : !queueReachable(index, d.arn, bucketArn),
  );
}

function functionReachable(index: ResourceIndex, arn: string, bucketArn: string): boolean {
  const name = index.functionName(arn);
  if (name === undefined) return false;
  return index.of("AWS::Lambda::Permission").some((permission) => {
    const p = permission.properties;
    const source = str(p.SourceArn);
    return (
      str(p.Principal) === S3 &&
      functionNameOf(str(p.FunctionName) ?? "").name === name &&
      (source === undefined || source === bucketArn)
    );
  });
}

function queueReachable(index: ResourceIndex, arn: string, bucketArn: string): boolean {
  const name = index.queueName(arn);
  const queue = index.of("AWS::SQS::Queue").find((q) => q.attributes.QueueName === name);
  if (name === undefined || queue === undefined) return false;
  return index
    .of("AWS::SQS::QueuePolicy")
    .filter((policy) => list(policy.properties.Queues).includes(queue.physicalId))
    .some((policy) =>
      list(json(policy.properties.PolicyDocument).Statement).some((s) => allowsS3(obj(s), bucketArn)),
    );
}

function allowsS3(statement: Readonly<Record<string, unknown>>, bucketArn: string): boolean {
  if (statement.Effect !== "Allow") return false;
  const principal = statement.Principal;
  const principals =
    principal === "*" ? ["*"] : [...list(obj(principal).Service), ...list(obj(principal).AWS)].map(String);
  if (!principals.some((p) => p === S3 || p === "*")) return false;
  const actions = list(statement.Action).map((a) => String(a).toLowerCase());
  if (!actions.some((a) => a === "sqs:sendmessage" || a === "sqs:*" || a === "*")) return false;
  const condition = obj(statement.Condition);
  const sources = [
    ...list(obj(condition.ArnEquals)["aws:SourceArn"]),
    ...list(obj(condition.ArnLike)["aws:SourceArn"]),
  ].map(String);
  // ArnEquals and ArnLike match alike, wildcards included, segment by segment as IAM's resources.
  return sources.length === 0 || sources.some((pattern) => resourceMatch(pattern, bucketArn));
}
