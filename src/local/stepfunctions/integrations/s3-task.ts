/**
 * S3 through the AWS SDK integration: `arn:…:states:::aws-sdk:s3:getObject` and `…:putObject`.
 * Parameters and results are the API's in PascalCase; GetObject's Body is the object's text.
 * Errors are `S3.<Error>Exception` (NoSuchKey → `S3.NoSuchKeyException`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
import type { TaskOutcome, TaskRequest } from "../task-port.ts";
import {
  faultOutcome,
  field,
  runtimeFailure,
  sdkErrorName,
  stringField,
  succeeded,
  textOf,
} from "./task-outcomes.ts";
import type { TaskServices } from "./task-services.ts";

export function s3SdkTask(services: TaskServices, request: TaskRequest, action: string): TaskOutcome {
  const bucket = stringField(request.parameters, "Bucket");
  const key = stringField(request.parameters, "Key");
  if (typeof bucket !== "string") return runtimeFailure(`s3:${action}: ${bucket.missing}`);
  if (typeof key !== "string") return runtimeFailure(`s3:${action}: ${key.missing}`);
  try {
    if (action === "getObject") return succeeded(getObject(services, request, bucket, key));
    if (action === "putObject") return succeeded(putObject(services, request, bucket, key));
  } catch (error) {
    return faultOutcome(error, "Amazon S3", (code) => sdkErrorName("S3", code));
  }
  return runtimeFailure(`aws-sdk:s3:${action} is not served locally (getObject and putObject are)`);
}

function getObject(services: TaskServices, request: TaskRequest, bucket: string, key: string): object {
  const version = field(request.parameters, "VersionId");
  const object = services.s3.getObject(bucket, key, typeof version === "string" ? version : undefined);
  return {
    AcceptRanges: "bytes",
    Body: object.body.toString("utf8"),
    ContentLength: object.size,
    ContentType: object.contentType,
    ETag: object.etag,
    LastModified: new Date(object.lastModified).toISOString(),
    Metadata: { ...object.metadata },
    ...(object.versioned ? { VersionId: object.versionId } : {}),
  };
}

function putObject(services: TaskServices, request: TaskRequest, bucket: string, key: string): object {
  const body = field(request.parameters, "Body");
  const contentType = field(request.parameters, "ContentType");
  const metadata = field(request.parameters, "Metadata");
  const written = services.s3.putObject(bucket, key, Buffer.from(body === undefined ? "" : textOf(body)), {
    ...(typeof contentType === "string" ? { contentType } : {}),
    ...(typeof metadata === "object" && metadata !== null
      ? {
          metadata: Object.fromEntries(
            Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), String(v)]),
          ),
        }
      : {}),
  });
  return { ETag: written.etag, ...(written.versionId === undefined ? {} : { VersionId: written.versionId }) };
}
