/**
 * A distributed Map's ItemReader: `arn:…:states:::s3:getObject` answers the object's body as text
 * (the engine parses JSON, JSONL or CSV as ReaderConfig says) and `arn:…:states:::s3:listObjectsV2`
 * every object under the Prefix, each as `{ Etag, Key, LastModified, Size, StorageClass }` with
 * LastModified in epoch seconds, as the Map's items appear in AWS's examples. A read that fails is
 * `States.ItemReaderFailed`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 */
import { STATES_ERRORS } from "../language/states-error.ts";
import type { TaskOutcome, TaskRequest } from "../task-port.ts";
import { failed, field, serviceFault, stringField, succeeded } from "./task-outcomes.ts";
import type { TaskServices } from "./task-services.ts";

export function itemReaderTask(services: TaskServices, request: TaskRequest, action: string): TaskOutcome {
  const bucket = stringField(request.parameters, "Bucket");
  if (typeof bucket !== "string") return failed(STATES_ERRORS.itemReaderFailed, bucket.missing);
  try {
    if (action === "getObject") {
      const key = stringField(request.parameters, "Key");
      if (typeof key !== "string") return failed(STATES_ERRORS.itemReaderFailed, key.missing);
      const version = field(request.parameters, "VersionId");
      const object = services.s3.getObject(bucket, key, typeof version === "string" ? version : undefined);
      return succeeded(object.body.toString("utf8"));
    }
    if (action === "listObjectsV2")
      return succeeded(listAll(services, bucket, field(request.parameters, "Prefix")));
  } catch (error) {
    const fault = serviceFault(error);
    if (fault === undefined) throw error;
    return failed(STATES_ERRORS.itemReaderFailed, `${fault.code}: ${fault.message} (bucket ${bucket})`);
  }
  return failed(
    STATES_ERRORS.itemReaderFailed,
    `s3:${action} is not an ItemReader resource (getObject, listObjectsV2)`,
  );
}

function listAll(services: TaskServices, bucket: string, prefix: unknown): object[] {
  const items: object[] = [];
  let continuationToken: string | undefined;
  do {
    const page = services.s3.listObjectsV2(bucket, {
      ...(typeof prefix === "string" ? { prefix } : {}),
      ...(continuationToken === undefined ? {} : { continuationToken }),
    });
    for (const object of page.contents) {
      items.push({
        Etag: object.etag,
        Key: object.key,
        LastModified: Math.floor(object.lastModified / 1000),
        Size: object.size,
        StorageClass: "STANDARD",
      });
    }
    continuationToken = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (continuationToken !== undefined);
  return items;
}
