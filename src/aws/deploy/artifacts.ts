/**
 * Uploads function zips to content-addressed keys (`sluice/artifacts/<sha256>.zip`): a zip that
 * is already there (HeadObject) is not sent again, so an unchanged function costs one request.
 * Objects older than REFRESH_AFTER_DAYS are sent again anyway, which restarts their lifecycle
 * clock: the bucket expires uploads after EXPIRE_AFTER_DAYS (see bootstrap.ts), and the code a
 * live stack uses must still be there for a rollback.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { BuildResult } from "../../bundle/build-app.ts";

const ARTIFACT_PREFIX = "sluice/artifacts/";
export const TEMPLATE_PREFIX = "sluice/templates/";
export const REFRESH_AFTER_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ArtifactUpload {
  /** Definition name of each function → its key. */
  readonly codeKeys: Record<string, string>;
  readonly uploaded: number;
  readonly skipped: number;
}

export function artifactKey(sha256: string): string {
  return `${ARTIFACT_PREFIX}${sha256}.zip`;
}

export async function uploadArtifacts(
  s3: S3Client,
  bucket: string,
  build: BuildResult,
  now: Date = new Date(),
): Promise<ArtifactUpload> {
  const codeKeys: Record<string, string> = {};
  let uploaded = 0;
  let skipped = 0;
  for (const fn of Object.values(build.manifest.functions)) {
    const key = artifactKey(fn.sha256);
    codeKeys[fn.function] = key;
    if (await putZipUnlessRecent(s3, bucket, key, join(build.outDir, fn.zip), now)) uploaded++;
    else skipped++;
  }
  return { codeKeys, uploaded, skipped };
}

/**
 * Sends the zip at `file` to `key` unless it was uploaded less than REFRESH_AFTER_DAYS before
 * `now`; true when it was sent. Function zips and server artifacts (fleet-artifacts.ts) share it.
 */
export async function putZipUnlessRecent(
  s3: Pick<S3Client, "send">,
  bucket: string,
  key: string,
  file: string,
  now: Date,
): Promise<boolean> {
  if (await uploadedRecently(s3, bucket, key, now)) return false;
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: readFileSync(file),
      ContentType: "application/zip",
    }),
  );
  return true;
}

/** True when the object exists and was written less than REFRESH_AFTER_DAYS before `now`. */
export async function uploadedRecently(
  s3: Pick<S3Client, "send">,
  bucket: string,
  key: string,
  now: Date,
): Promise<boolean> {
  const modified = await lastModified(s3, bucket, key);
  return modified !== undefined && now.getTime() - modified.getTime() < REFRESH_AFTER_DAYS * DAY_MS;
}

/** When the object was written, or undefined when there is none. */
export async function lastModified(
  s3: Pick<S3Client, "send">,
  bucket: string,
  key: string,
): Promise<Date | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.LastModified ?? new Date(0);
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === "NotFound" || e.$metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
}
