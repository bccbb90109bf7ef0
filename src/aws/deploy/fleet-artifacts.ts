/**
 * A server fleet's artifact (issue 19): one zip per fleet holding the spec deploy uses (staged
 * for this region and account), the fleet's bundles and a package.json (bundle/server-artifact.ts
 * makes it). Uploaded like function zips, to a content-addressed key (`servers/<sha256>.zip`):
 * an unchanged fleet costs one HeadObject, and `<Fleet>FleetArtifactKey` names it, so a new
 * artifact is a parameter change that rolls the fleet's instances or tasks.
 */

import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { BuildResult } from "../../bundle/build-app.ts";
import { writeServerArtifact } from "../../bundle/server-artifact.ts";
import type { AppSpec } from "../../model/app-spec.ts";
import { logicalId } from "../template/logical-ids.ts";
import { putZipUnlessRecent } from "./artifacts.ts";

/** What writes one fleet's artifact (bundle/server-artifact.ts; tests pass their own). */
export type ServerArtifactWriter = (input: {
  readonly build: BuildResult;
  readonly spec: AppSpec;
  readonly fleet: string;
  readonly outFile: string;
}) =>
  | Promise<{ readonly file: string; readonly key: string }>
  | { readonly file: string; readonly key: string };

export interface FleetArtifactUpload {
  /** `<Fleet>FleetArtifactKey` → the artifact's key, for deployParameters' lookups. */
  readonly parameters: Record<string, string>;
  readonly uploaded: number;
  readonly skipped: number;
}

/** Writes and uploads each fleet's artifact; nothing for an app without `servers`. */
export async function uploadFleetArtifacts(
  s3: Pick<S3Client, "send">,
  bucket: string,
  input: { readonly build: BuildResult; readonly spec: AppSpec },
  options: { readonly now?: Date; readonly write?: ServerArtifactWriter } = {},
): Promise<FleetArtifactUpload> {
  const write = options.write ?? writeServerArtifact;
  const now = options.now ?? new Date();
  const parameters: Record<string, string> = {};
  let uploaded = 0;
  let skipped = 0;
  for (const fleet of Object.values(input.spec.servers ?? {})) {
    const artifact = await write({
      build: input.build,
      spec: input.spec,
      fleet: fleet.name,
      outFile: join(input.build.outDir, "servers", `${fleet.name}.zip`),
    });
    parameters[logicalId("fleetArtifactKeyParameter", fleet.name)] = artifact.key;
    // The same refresh rule as function zips (artifacts.ts): the bucket's lifecycle expires
    // uploads, and the artifact a live stack names must outlive it for a rollback.
    if (await putZipUnlessRecent(s3, bucket, artifact.key, artifact.file, now)) uploaded++;
    else skipped++;
  }
  return { parameters, uploaded, skipped };
}
