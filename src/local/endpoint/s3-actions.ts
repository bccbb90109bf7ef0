/**
 * The IAM action and resource an S3 request is authorized as, from its method, bucket, key and
 * subresource, as S3's service authorization reference maps operations to actions
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html):
 * object operations act on `arn:<partition>:s3:::bucket/key`, bucket operations (ListObjectsV2
 * is `s3:ListBucket`, HeadBucket too) on `arn:<partition>:s3:::bucket`; S3 ARNs carry no region
 * and no account. ListBuckets is `s3:ListAllMyBuckets` on `*`.
 */
import { bucketArnOf } from "../../model/naming.ts";
import { deleteRequestObjects, type S3Target } from "../s3/index.ts";

export interface S3Authorization {
  readonly action: string;
  readonly resource: string;
}

/** Bucket subresources by query parameter: [GET, PUT, DELETE] actions. */
const BUCKET_SUBRESOURCES: Readonly<Record<string, readonly [string, string, string]>> = {
  versioning: ["s3:GetBucketVersioning", "s3:PutBucketVersioning", "s3:PutBucketVersioning"],
  cors: ["s3:GetBucketCORS", "s3:PutBucketCORS", "s3:PutBucketCORS"],
  lifecycle: ["s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:PutLifecycleConfiguration"],
  website: ["s3:GetBucketWebsite", "s3:PutBucketWebsite", "s3:DeleteBucketWebsite"],
  notification: ["s3:GetBucketNotification", "s3:PutBucketNotification", "s3:PutBucketNotification"],
  tagging: ["s3:GetBucketTagging", "s3:PutBucketTagging", "s3:PutBucketTagging"],
  policy: ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
  acl: ["s3:GetBucketAcl", "s3:PutBucketAcl", "s3:PutBucketAcl"],
  location: ["s3:GetBucketLocation", "s3:GetBucketLocation", "s3:GetBucketLocation"],
  versions: ["s3:ListBucketVersions", "s3:ListBucketVersions", "s3:ListBucketVersions"],
  uploads: [
    "s3:ListBucketMultipartUploads",
    "s3:ListBucketMultipartUploads",
    "s3:ListBucketMultipartUploads",
  ],
};

/**
 * What to check for the request; DeleteObjects (`POST ?delete`) is checked per key by the caller
 * (`s3:DeleteObject` on each), so here it is undefined.
 */
export function s3Authorization(
  region: string,
  method: string,
  target: S3Target,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): S3Authorization[] | undefined {
  if (target.bucket === undefined) return [{ action: "s3:ListAllMyBuckets", resource: "*" }];
  const bucketArn = s3Arn(region, target.bucket);
  const query = target.query;
  const verb = method === "PUT" ? 1 : method === "DELETE" ? 2 : 0;
  if (target.key === undefined) {
    if (method === "POST" && query.has("delete")) return undefined;
    for (const [name, actions] of Object.entries(BUCKET_SUBRESOURCES)) {
      if (query.has(name)) return [{ action: actions[verb] as string, resource: bucketArn }];
    }
    const action =
      method === "PUT" ? "s3:CreateBucket" : method === "DELETE" ? "s3:DeleteBucket" : "s3:ListBucket";
    return [{ action, resource: bucketArn }];
  }
  const objectArn = s3Arn(region, `${target.bucket}/${target.key}`);
  const versioned = query.has("versionId");
  const one = (action: string): S3Authorization[] => [{ action, resource: objectArn }];
  if (query.has("tagging")) {
    return one(["s3:GetObjectTagging", "s3:PutObjectTagging", "s3:DeleteObjectTagging"][verb] as string);
  }
  if (query.has("acl")) return one(verb === 0 ? "s3:GetObjectAcl" : "s3:PutObjectAcl");
  if (method === "DELETE") {
    if (query.has("uploadId")) return one("s3:AbortMultipartUpload");
    return one(versioned ? "s3:DeleteObjectVersion" : "s3:DeleteObject");
  }
  if (method === "GET" && query.has("uploadId")) return one("s3:ListMultipartUploadParts");
  if (method === "GET" || method === "HEAD") return one(versioned ? "s3:GetObjectVersion" : "s3:GetObject");
  // PUT, multipart (POST ?uploads, UploadPart, CompleteMultipartUpload): all s3:PutObject.
  const checks = one("s3:PutObject");
  const copySource = headers["x-amz-copy-source"];
  if (method === "PUT" && typeof copySource === "string") {
    const source = copySourceArn(region, copySource);
    if (source)
      checks.unshift({
        action: source.versioned ? "s3:GetObjectVersion" : "s3:GetObject",
        resource: source.arn,
      });
  }
  return checks;
}

/** `arn:<partition>:s3:::<resource>`: S3 ARNs name neither region nor account. */
function s3Arn(region: string, resource: string): string {
  return bucketArnOf(region, resource);
}

/** `x-amz-copy-source: /bucket/key?versionId=…` (URL-encoded, the leading slash optional). */
function copySourceArn(region: string, header: string): { arn: string; versioned: boolean } | undefined {
  const [path = "", query = ""] = header.split("?", 2);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith("/") ? path.slice(1) : path);
  } catch {
    return undefined;
  }
  if (!decoded.includes("/")) return undefined;
  return { arn: s3Arn(region, decoded), versioned: new URLSearchParams(query).has("versionId") };
}

/**
 * DeleteObjects needs `s3:DeleteObject` on each key it names; here the request is refused when
 * any is denied (S3 would answer AccessDenied in that key's `<Error>` entry and delete the rest).
 */
export function deleteObjectsAuthorization(region: string, bucket: string, body: Buffer): S3Authorization[] {
  return deleteRequestObjects(body.toString("utf8")).map(({ key }) => ({
    action: "s3:DeleteObject",
    resource: s3Arn(region, `${bucket}/${key}`),
  }));
}
