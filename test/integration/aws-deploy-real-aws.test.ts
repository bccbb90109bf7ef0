/**
 * The deploy path against REAL AWS: bootstrap, deploy the example to a throwaway stage, use it,
 * redeploy with no changes, destroy. Costs a few cents and a few minutes, so it runs only when
 * SLUICE_AWS_TESTS=1 and the SDK's default chain finds credentials; everywhere else it skips,
 * saying how to enable it. SLUICE_AWS_REGION picks the region (default us-east-1).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, test } from "node:test";
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ROOT, sluice } from "../support/cli-process.ts";
import { copyApp } from "../support/temp.ts";

const ENABLE =
  "set SLUICE_AWS_TESTS=1 with AWS credentials (AWS_PROFILE, SSO or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) to run the deploy tests against real AWS";
const REGION = process.env.SLUICE_AWS_REGION ?? "us-east-1";

async function credentialsWork(): Promise<string | undefined> {
  const sts = new STSClient({ region: REGION });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch {
    return undefined;
  } finally {
    sts.destroy();
  }
}

/** Why this run cannot reach real AWS, or undefined when it can. */
async function unavailable(): Promise<string | undefined> {
  if (process.env.SLUICE_AWS_TESTS !== "1") return `skipped: ${ENABLE}`;
  if ((await credentialsWork()) === undefined)
    return `skipped: SLUICE_AWS_TESTS=1 but no working credentials were found; ${ENABLE}`;
  return undefined;
}

const skip = await unavailable();

describe("deploy to real AWS", () => {
  test("bootstraps, deploys the example, runs it, redeploys with no changes and destroys it", {
    skip: skip ?? false,
  }, async () => {
    const stage = `ci${randomBytes(3).toString("hex")}`;
    const app = copyApp(join(ROOT, "examples", "pipeline"));
    const where = [app.dir, "--stage", stage, "--region", REGION];
    try {
      const bootstrap = await sluice(["bootstrap", "--region", REGION]);
      assert.equal(bootstrap.code, 0, bootstrap.stderr);
      const deployed = await sluice(["deploy", ...where]);
      assert.equal(deployed.code, 0, deployed.stderr);
      assert.match(deployed.stdout, new RegExp(`pipeline-${stage} \\(${REGION}\\): deployed`));
      const sqs = new SQSClient({ region: REGION });
      const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: `pipeline-${stage}-pages` }))).QueueUrl;
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: JSON.stringify({ site: "example.com", paths: ["/a"] }),
        }),
      );
      sqs.destroy();
      const status = await sluice(["status", ...where, "--json"]);
      assert.equal(status.code, 0, status.stderr);
      const again = await sluice(["deploy", ...where]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /no changes/);
    } finally {
      const destroyed = await sluice(["destroy", ...where, "--yes"]);
      app.cleanup();
      assert.equal(destroyed.code, 0, destroyed.stderr);
      assert.match(destroyed.stdout, /DELETE_COMPLETE/);
    }
  });
});
