/**
 * S3's naming rules for general purpose buckets, written once for the definition (each bucket's
 * physical name) and the local S3's wire (CreateBucket), which turns a problem into
 * InvalidBucketName.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
import { LIMITS } from "../limits.ts";

const NAME = LIMITS.s3.bucketName;
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3"] as const;

/** Why `name` breaks S3's general purpose bucket naming rules, or undefined when it follows them. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < NAME.min || name.length > NAME.max)
    return `is ${name.length} characters long; ${NAME.min} to ${NAME.max} are allowed`;
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
