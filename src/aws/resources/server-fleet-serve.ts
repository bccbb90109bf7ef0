/**
 * What every server of a fleet runs, on both platforms: `sluice serve` over the unzipped server
 * artifact, and the `Sluice::Server` metadata that says so in the template, which `sluice cloud`
 * reads to run the fleet as a local `sluice serve` (common contract of issue 19).
 */
import { SERVER_METADATA_KEY, type ServerSpec } from "../../model/servers.ts";
import { ref } from "../template/intrinsics.ts";
import { ARTIFACT_BUCKET_PARAMETER, logicalId } from "../template/logical-ids.ts";
import type { TemplateValue } from "../template/template.ts";

/** Where the package's CLI sits once the artifact's package.json is installed. */
export const SLUICE_BIN = "node_modules/sluice/bin/sluice.js";

export function sluiceServerMetadata(fleet: ServerSpec): Record<string, TemplateValue> {
  return {
    [SERVER_METADATA_KEY]: {
      Fleet: fleet.name,
      Functions: [...fleet.functions],
      Port: fleet.port,
      Schedules: fleet.schedules,
      ShutdownSeconds: fleet.shutdownSeconds,
      Artifact: {
        Bucket: ref(ARTIFACT_BUCKET_PARAMETER),
        Key: ref(logicalId("fleetArtifactKeyParameter", fleet.name)),
      },
    },
  };
}

/**
 * The arguments after `sluice.js`: serve the artifact in `artifactDir` as fleet `fleet.name` on
 * every interface (the security group, not the bind address, keeps others out), in `region`.
 */
export function serveArguments(fleet: ServerSpec, artifactDir: string, region: string): string[] {
  return [
    "serve",
    "--artifact",
    artifactDir,
    "--fleet",
    fleet.name,
    "--host",
    "0.0.0.0",
    "--port",
    String(fleet.port),
    "--region",
    region,
    "--shutdown-seconds",
    String(fleet.shutdownSeconds),
    ...(fleet.schedules ? ["--schedules"] : []),
  ];
}
