/**
 * A conformance target whose app is deployed, not run by `sluice dev`: the real `sluice bootstrap`
 * and `sluice deploy` commands (Sluice's own deploy path, src/aws/deploy) put the fixture app on a
 * stage, the stack's outputs give its URLs, and `sluice destroy` removes it when the suite is done.
 * Where it is deployed (real AWS, or a `sluice cloud` account through --endpoint-url) and how time
 * passes there is the caller's.
 */
import { API_LOGICAL_IDS } from "../../../src/aws/template/logical-ids.ts";
import { arn as arnOf } from "../../../src/model/naming.ts";
import { sluice } from "../cli-process.ts";
import { copyAppWithSdk } from "../endpoint.ts";
import type { ConformanceTarget, TargetClientConfig } from "./target.ts";

export interface DeployPlace {
  readonly kind: "aws" | "cloud";
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  /** `--endpoint-url` for the CLI (a `sluice cloud` endpoint); none for AWS. */
  readonly endpointUrl?: string;
  readonly clientConfig: TargetClientConfig;
  /** Where the region's SQS queue URLs start, before `/<account>/<queue>`. */
  readonly sqsBaseUrl: string;
  readonly time: Pick<ConformanceTarget, "now" | "skewMs" | "elapse" | "whenWaiting">;
  /** Runs after the stage is destroyed. */
  readonly onClose?: () => Promise<void>;
}

interface DeployJson {
  readonly stackName?: string;
  readonly outputs?: Record<string, string>;
  readonly error?: string;
}

export async function startDeployedTarget(fixture: string, place: DeployPlace): Promise<ConformanceTarget> {
  const { stage, region, accountId } = place;
  const app = copyAppWithSdk(fixture);
  const endpoint = place.endpointUrl ? ["--endpoint-url", place.endpointUrl] : [];
  const where = [app.dir, "--stage", stage, "--region", region, ...endpoint];
  const destroy = async () => {
    const destroyed = await sluice(["destroy", ...where, "--yes"]);
    if (destroyed.code !== 0) throw new Error(`sluice destroy failed:\n${destroyed.stderr}`);
  };
  let deployed: DeployJson;
  try {
    const bootstrap = await sluice(["bootstrap", "--region", region, ...endpoint]);
    if (bootstrap.code !== 0) throw new Error(`sluice bootstrap failed:\n${bootstrap.stderr}`);
    const result = await sluice(["deploy", ...where, "--json"]);
    deployed = (JSON.parse(result.stdout || "[]") as DeployJson[])[0] ?? {};
    if (result.code !== 0 || deployed.error !== undefined)
      throw new Error(`sluice deploy failed:\n${deployed.error ?? result.stderr}`);
  } catch (error) {
    await destroy().catch(() => undefined);
    app.cleanup();
    await place.onClose?.();
    throw error;
  }
  // The stack is `<app>-<stage>`, and every physical name starts with it.
  const prefix = `${deployed.stackName}-`;
  const base = place.sqsBaseUrl.replace(/\/+$/, "");
  return {
    kind: place.kind,
    region,
    accountId,
    clientConfig: place.clientConfig,
    prefix,
    physical: (name) => `${prefix}${name}`,
    scratch: (name) => `${name}-${stage}`,
    queueUrl: (name) => `${base}/${accountId}/${name}`,
    arn: (service, resource) => arnOf(service, region, accountId, resource),
    httpUrl: deployed.outputs?.[API_LOGICAL_IDS.httpUrlOutput]?.replace(/\/+$/, ""),
    ...place.time,
    localOnly: () => ({ skip: `local-only: not run against the ${place.kind} target` }),
    async close() {
      try {
        await destroy();
      } finally {
        app.cleanup();
        await place.onClose?.();
      }
    },
  };
}
