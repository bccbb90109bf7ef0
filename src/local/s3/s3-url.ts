/**
 * The bucket and key an S3 object URL names, as CloudFormation reads a `TemplateURL` or a
 * `Code.S3Bucket`-style location: `s3://bucket/key`, AWS's virtual-hosted
 * (`https://bucket.s3[.region|-region].amazonaws.com[.cn]/key`) and path-style
 * (`https://s3[.region|-region].amazonaws.com[.cn]/bucket/key`) URLs, the local endpoint's
 * path-style URLs (`http://127.0.0.1:4566/bucket/key`) and `bucket.localhost` hosts.
 */
import { bucketFromHost } from "./wire/s3-request.ts";

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export function parseS3Url(text: string): S3Location | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const path = safeDecode(url.pathname.slice(1));
  if (path === undefined) return undefined;
  if (url.protocol === "s3:") return location(url.hostname, path);
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const host = url.hostname.toLowerCase();
  const aws = /^(?:(.+)\.)?s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/.exec(host);
  if (aws) return aws[1] ? location(aws[1], path) : pathStyle(path);
  const local = bucketFromHost(url.host);
  return local !== undefined ? location(local, path) : pathStyle(path);
}

function pathStyle(path: string): S3Location | undefined {
  const slash = path.indexOf("/");
  return slash === -1 ? undefined : location(path.slice(0, slash), path.slice(slash + 1));
}

function location(bucket: string, key: string): S3Location | undefined {
  return bucket && key ? { bucket, key } : undefined;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
