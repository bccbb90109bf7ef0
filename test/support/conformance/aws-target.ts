/**
 * The AWS conformance target: the fixture app deployed to real AWS on the stage
 * SLUICE_CONFORMANCE_STACK (deployed-target.ts). Time on AWS is real, so `elapse` waits it out.
 * See docs/fidelity.md, "Running the conformance suite against AWS".
 */
import { urlSuffix } from "../../../src/model/naming.ts";
import { startDeployedTarget } from "./deployed-target.ts";
import { type ConformanceTarget, callerAccount } from "./target.ts";

/** How long a long poll is given to reach SQS before the test acts; AWS offers no way to see it. */
const REACH_MS = 2_000;
/** How far AWS's clocks may be from this machine's, for timestamps AWS stamps. */
const SKEW_MS = 60_000;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startAwsTarget(
  fixture: string,
  choice: { readonly stage: string; readonly region: string },
): Promise<ConformanceTarget> {
  const { region } = choice;
  return startDeployedTarget(fixture, {
    kind: "aws",
    ...choice,
    accountId: await callerAccount(region),
    clientConfig: { region, maxAttempts: 1 },
    sqsBaseUrl: `https://sqs.${region}.${urlSuffix(region)}`,
    time: {
      now: async () => Date.now(),
      skewMs: SKEW_MS,
      elapse: (ms) => wait(ms),
      async whenWaiting(call) {
        const result = call();
        await wait(REACH_MS);
        return { result };
      },
    },
  });
}
