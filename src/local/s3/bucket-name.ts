import { bucketNameProblem } from "../../model/validate/bucket-name.ts";
import { S3Error } from "./errors.ts";

// The rule itself lives in the model, which checks the definition's buckets with it too.
export { bucketNameProblem };

/** Throws InvalidBucketName (400) for a name S3 would refuse. */
export function checkBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem === undefined) return;
  throw new S3Error(
    "InvalidBucketName",
    { BucketName: name },
    `The specified bucket is not valid. Bucket name "${name}" ${problem} (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).`,
  );
}
