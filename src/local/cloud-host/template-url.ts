/**
 * The S3 object a CloudFormation TemplateURL names, in the forms AWS accepts (path style on an
 * S3 endpoint or on this endpoint, and virtual-hosted style), read from the local S3.
 */
import { AwsError } from "../../model/errors.ts";
import { parseS3Url, type S3Store } from "../s3/index.ts";

export function readTemplateUrl(s3: Pick<S3Store, "getObject">, url: string): string {
  const location = parseS3Url(url);
  if (!location) throw invalid(url);
  const { bucket, key } = location;
  try {
    return s3.getObject(bucket, key).body.toString("utf8");
  } catch (error) {
    if (error instanceof AwsError) {
      throw new AwsError(
        "ValidationError",
        `S3 error: Access Denied or ${error.message} (TemplateURL ${url})`,
        400,
      );
    }
    throw error;
  }
}

function invalid(url: string): AwsError {
  return new AwsError("ValidationError", `TemplateURL must be a supported URL: ${url}`, 400);
}
