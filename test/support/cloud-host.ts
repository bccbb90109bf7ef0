/**
 * Deploying a Sluice example to a `CloudHost` the way `sluice deploy` does, with the real SDK
 * clients: build the zips, upload them to the local S3, create and execute a change set.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  ExecuteChangeSetCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { synthApp } from "../../src/aws/synth-app.ts";
import { logicalId } from "../../src/aws/template/logical-ids.ts";
import { buildApp } from "../../src/bundle/build-app.ts";
import { loadApp } from "../../src/bundle/load-app.ts";

export const CREDENTIALS = { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "secret" };
const WAIT = { minDelay: 1, maxDelay: 1, maxWaitTime: 120 };

export interface Clients {
  readonly cfn: CloudFormationClient;
  readonly s3: S3Client;
}

export function clients(endpoint: string, region: string): Clients {
  return {
    cfn: new CloudFormationClient({ region, endpoint, credentials: CREDENTIALS }),
    s3: new S3Client({ region, endpoint, credentials: CREDENTIALS, forcePathStyle: true }),
  };
}

/** Builds and synthesises the app in `dir`, uploads its zips, and creates or updates its stack. */
export async function deployApp(
  c: Clients,
  dir: string,
  options: { stackName: string; bucket: string; parameters?: Record<string, string>; update?: boolean },
): Promise<void> {
  const app = await loadApp(dir);
  const built = await buildApp(app);
  const template = await synthApp(app);
  const parameters: Record<string, string> = { ArtifactBucket: options.bucket, ...options.parameters };
  if (!options.update)
    await c.s3.send(new CreateBucketCommand({ Bucket: options.bucket })).catch(() => undefined);
  for (const fn of Object.values(built.manifest.functions)) {
    const key = `${app.spec.name}/${fn.function}/${fn.sha256}.zip`;
    await c.s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: key,
        Body: readFileSync(join(built.outDir, fn.zip)),
      }),
    );
    parameters[logicalId("codeKeyParameter", fn.function)] = key;
  }
  const name = `deploy-${Date.now()}`;
  await c.cfn.send(
    new CreateChangeSetCommand({
      StackName: options.stackName,
      ChangeSetName: name,
      ChangeSetType: options.update ? "UPDATE" : "CREATE",
      TemplateBody: JSON.stringify(template),
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
      Capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    }),
  );
  await waitUntilChangeSetCreateComplete(
    { client: c.cfn, ...WAIT },
    { StackName: options.stackName, ChangeSetName: name },
  );
  await c.cfn.send(new ExecuteChangeSetCommand({ StackName: options.stackName, ChangeSetName: name }));
  const wait = options.update ? waitUntilStackUpdateComplete : waitUntilStackCreateComplete;
  await wait({ client: c.cfn, ...WAIT }, { StackName: options.stackName });
}
