/**
 * What `bucket:<name>` and `bucket:<name>/<key pattern>` grant, least privilege: S3 authorizes
 * bucket actions (ListBucket, GetBucketVersioning, ...) on the bucket's ARN and object actions
 * (GetObject, PutObject, ...) on the objects' ARNs `<bucket>/<key>`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html, the
 * resource type of each action). So a statement gets the bucket's ARN only when some of its
 * actions acts on buckets, and the objects' ARNs only when some acts on objects.
 *
 * `bucket:<name>/<prefix>*` narrows the objects; a bucket action in the same statement still gets
 * the whole bucket's ARN (ListBucket has no object ARN: narrowing a listing to a prefix takes an
 * `s3:prefix` condition, which Sluice's statements do not write).
 */
import type { AppSpec } from "../app-spec.ts";
import { bucketArnOf, physicalBucketName } from "../naming.ts";
import { actionPatternMatches } from "./action-pattern.ts";
import { S3_ACTIONS, S3_OBJECT_ACTIONS } from "./s3-actions.ts";

export type BucketGrantResource =
  /** An S3 bucket of the app by definition name: the bucket itself (`arn:…:s3:::<bucketName>`). */
  | { readonly kind: "bucket"; readonly name: string }
  /** Objects of an S3 bucket of the app: `arn:…:s3:::<bucketName>/<key>`, `key` may hold IAM's wildcards. */
  | { readonly kind: "bucketObjects"; readonly name: string; readonly key: string };

const OBJECT_ACTIONS = new Set(S3_OBJECT_ACTIONS.map((a) => a.toLowerCase()));
const BUCKET_ACTIONS = S3_ACTIONS.map((a) => `s3:${a}`.toLowerCase()).filter((a) => !OBJECT_ACTIONS.has(a));

/** `bucket:<name>` (the bucket, and every object) or `bucket:<name>/<key>` (some objects). */
export function declaredBucket(text: string): BucketGrantResource {
  const rest = text.slice("bucket:".length);
  const slash = rest.indexOf("/");
  if (slash === -1) return { kind: "bucket", name: rest };
  return { kind: "bucketObjects", name: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** The ARNs a declared bucket resource stands for, given the actions of its statement. */
export function bucketResources(
  resource: BucketGrantResource,
  actions: readonly string[],
): BucketGrantResource[] {
  const onObjects = actions.some((action) =>
    [...OBJECT_ACTIONS].some((candidate) => actionPatternMatches(action, candidate)),
  );
  const onBucket = actions.some((action) =>
    BUCKET_ACTIONS.some((candidate) => actionPatternMatches(action, candidate)),
  );
  const objects =
    resource.kind === "bucketObjects"
      ? resource
      : ({ kind: "bucketObjects", name: resource.name, key: "*" } as const);
  return [
    ...(onBucket ? [{ kind: "bucket", name: resource.name } as const] : []),
    ...(onObjects ? [objects] : []),
  ];
}

/** The bucket's ARN; one the spec lacks is named as the app would name it. */
export function bucketResourceArn(spec: AppSpec, name: string): string {
  return bucketArnOf(spec.region, spec.buckets?.[name]?.bucketName ?? physicalBucketName(spec, name));
}
