import { S3Error } from "./errors.ts";

/**
 * Why `name` breaks S3's general purpose bucket naming rules, or undefined when it follows them
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters long; 3 to 63 are allowed`;
  if (!/^[a-z0-9.-]+$/.test(name))
    return "may hold only lowercase letters, digits, periods (.) and hyphens (-)";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "must begin and end with a letter or digit";
  if (name.includes("..")) return "must not contain two adjacent periods";
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return "must not be formatted as an IP address";
  for (const prefix of RESERVED_PREFIXES)
    if (name.startsWith(prefix)) return `must not start with "${prefix}"`;
  for (const suffix of RESERVED_SUFFIXES) if (name.endsWith(suffix)) return `must not end with "${suffix}"`;
  return undefined;
}

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3"] as const;

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
