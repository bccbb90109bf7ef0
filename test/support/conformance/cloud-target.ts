/**
 * The `sluice cloud` conformance target: a local AWS account (CloudHost) in this process, the
 * fixture app deployed to it by the real CLI through --endpoint-url exactly as to AWS
 * (deployed-target.ts). It proves the deploy-based path of the suites on a machine without AWS,
 * and pins that a deployed app behaves as `sluice dev` runs it. Time is the host's clock.
 */
import { join } from "node:path";
import { CloudHost } from "../../../src/local/cloud-host/cloud-host.ts";
import { tempDir } from "../temp.ts";
import { startDeployedTarget } from "./deployed-target.ts";
import type { ConformanceTarget } from "./target.ts";
import { WatchedClock } from "./watched-clock.ts";

const REGION = "us-east-1";
/** Any key pair signs for the local account; the CLI finds these through the SDK's default chain. */
const CREDENTIALS = { accessKeyId: "AKIDSLUICECONFORMANCE", secretAccessKey: "local-conformance-secret" };

export async function startCloudTarget(
  fixture: string,
  choice: { readonly stage: string },
): Promise<ConformanceTarget> {
  // The CLI runs as a child process and inherits this environment, as a user's shell would give it.
  process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
  process.env.SLUICE_POLL_INTERVAL_MS = "50";
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_ENDPOINT_URL;
  const state = tempDir("sluice-conformance-cloud-");
  const clock = new WatchedClock();
  // IAM is enforced, as on AWS: deployed functions' calls are checked against their roles.
  const host = await CloudHost.start({ stateDir: join(state.dir, "cloud"), port: 0, clock, iam: "enforce" });
  return startDeployedTarget(fixture, {
    kind: "cloud",
    stage: choice.stage,
    region: REGION,
    accountId: host.accountId,
    endpointUrl: host.url,
    clientConfig: { region: REGION, endpoint: host.url, credentials: CREDENTIALS, maxAttempts: 1 },
    sqsBaseUrl: host.url,
    time: {
      now: async () => clock.now(),
      skewMs: 0,
      async elapse(ms) {
        clock.advance(ms);
      },
      whenWaiting: (call) => clock.whenWaiting(call),
    },
    async onClose() {
      await host.close();
      state.cleanup();
    },
  });
}
