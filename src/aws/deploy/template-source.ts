/**
 * How the template reaches CloudFormation: inline as TemplateBody up to 51,200 bytes, else
 * uploaded to the artifact bucket (content-addressed) and passed as TemplateURL, which reads up
 * to 1 MB (docs/fidelity.md and LIMITS.cloudformation cite AWS's quotas page).
 */

import { createHash } from "node:crypto";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SluiceError } from "../../model/errors.ts";
import { LIMITS } from "../../model/limits.ts";
import { urlSuffix } from "../../model/naming.ts";
import { TEMPLATE_PREFIX } from "./artifacts.ts";

export type TemplateSource =
  | { readonly TemplateBody: string; readonly bytes: number }
  | { readonly TemplateURL: string; readonly bytes: number };

export function templateFitsInline(body: string): boolean {
  return Buffer.byteLength(body, "utf8") <= LIMITS.cloudformation.templateBody.max;
}

/** The S3 URL CloudFormation reads a template from: path style at a custom endpoint. */
export function templateUrl(region: string, bucket: string, key: string, endpointUrl?: string): string {
  if (endpointUrl !== undefined) return `${endpointUrl.replace(/\/+$/, "")}/${bucket}/${key}`;
  return `https://${bucket}.s3.${region}.${urlSuffix(region)}/${key}`;
}

export async function templateSource(
  s3: S3Client,
  options: {
    readonly body: string;
    readonly bucket: string;
    readonly region: string;
    readonly endpointUrl?: string;
  },
): Promise<TemplateSource> {
  const bytes = Buffer.byteLength(options.body, "utf8");
  if (templateFitsInline(options.body)) return { TemplateBody: options.body, bytes };
  const max = LIMITS.cloudformation.templateUrl.max;
  if (bytes > max) {
    throw new SluiceError(
      "SLUICE_TEMPLATE_TOO_LARGE",
      `the template is ${bytes} bytes; CloudFormation reads at most ${max} bytes from S3. Split the app into smaller apps.`,
    );
  }
  const key = `${TEMPLATE_PREFIX}${createHash("sha256").update(options.body).digest("hex")}.json`;
  await s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: key,
      Body: options.body,
      ContentType: "application/json",
    }),
  );
  return { TemplateURL: templateUrl(options.region, options.bucket, key, options.endpointUrl), bytes };
}
