/**
 * `sluice cloud` decides as AWS does with a deployed function's role: its SDK calls are checked
 * against the ARN it named (another account or region never matches the role), a function named in
 * another account or region does not exist here, and Lambda writes the function's logs only as
 * far as the role allows: without logs:CreateLogGroup a deleted group is not created again.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DeleteStackCommand, waitUntilStackDeleteComplete } from "@aws-sdk/client-cloudformation";
import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CloudHost, type CloudHostEvent } from "../../src/local/cloud-host/cloud-host.ts";
import { ROOT } from "../support/cli-process.ts";
import { type Clients, CREDENTIALS, clients, deployApp } from "../support/cloud-host.ts";
import { copyAppWithSdk, rejection, statusOf } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";

const REGION = "us-east-1";
const FIXTURE = join(ROOT, "test", "fixtures", "apps", "security-iam");
const STACK = { stackName: "iamscope", bucket: "sluice-artifacts" };

interface Outcome {
  ok?: unknown;
  error?: string;
  message?: string;
}

describe("sluice cloud: a deployed function's role decides, region and account included", () => {
  const app = copyAppWithSdk(FIXTURE);
  const events: CloudHostEvent[] = [];
  let host: CloudHost;
  let c: Clients;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  before(async () => {
    host = await CloudHost.start({
      stateDir: join(app.dir, ".sluice-cloud"),
      iam: "enforce",
      onEvent: (event) => events.push(event),
    });
    c = clients(host.url, REGION);
    const options = { region: REGION, endpoint: host.url, credentials: CREDENTIALS, maxAttempts: 1 };
    lambda = new LambdaClient(options);
    logs = new CloudWatchLogsClient(options);
    await deployApp(c, app.dir, STACK);
  });

  after(async () => {
    for (const client of [c?.cfn, c?.s3, lambda, logs]) client?.destroy();
    await host?.close();
    app.cleanup();
  });

  const invoke = async (functionName: string, payload: unknown) => {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }),
    );
    const text = Buffer.from(result.Payload ?? []).toString("utf8");
    assert.equal(result.FunctionError, undefined, text);
    return JSON.parse(text);
  };

  /** Resolves once the host has handled (and written, or dropped) a log line of `fn` containing `marker`. */
  const logLineHandled = (fn: string, marker: string) =>
    eventually(
      async () =>
        events.some(
          (e) =>
            e.type === "cloud" &&
            e.event.type === "log" &&
            e.event.line.functionName === fn &&
            e.event.line.text.includes(marker),
        )
          ? true
          : undefined,
      `a log line of ${fn} with ${marker}`,
    );

  const groupExists = async (name: string) =>
    ((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups ?? []).some(
      (g) => g.logGroupName === name,
    );

  const groupHas = async (name: string, marker: string) => {
    const found = await logs
      .send(new FilterLogEventsCommand({ logGroupName: name, filterPattern: `"${marker}"` }))
      .catch(() => undefined);
    return (found?.events ?? []).length > 0;
  };

  test("--iam enforce: a deployed function may not reach a function or queue in another account or region", async () => {
    const queueUrl = (account: string) => `${host.url}/${account}/iamscope-jobs`;
    const own = (await invoke("iamscope-caller", {
      functionName: "iamscope-echo",
      queueUrl: queueUrl("000000000000"),
    })) as { invoked: Outcome; sent: Outcome };
    assert.deepEqual(own.invoked.ok, { from: "caller" }, JSON.stringify(own));
    assert.match(String(own.sent.ok), /^[0-9a-f-]{36}$/, JSON.stringify(own.sent));

    const foreign = (await invoke("iamscope-caller", {
      functionName: "arn:aws:lambda:us-east-1:111111111111:function:iamscope-echo",
      queueUrl: queueUrl("111111111111"),
    })) as { invoked: Outcome; sent: Outcome };
    assert.equal(foreign.invoked.error, "AccessDeniedException");
    assert.match(
      foreign.invoked.message ?? "",
      /arn:aws:lambda:us-east-1:111111111111:function:iamscope-echo /,
    );
    assert.equal(foreign.sent.error, "AccessDenied");
    assert.match(foreign.sent.message ?? "", /arn:aws:sqs:us-east-1:111111111111:iamscope-jobs /);

    const elsewhere = (await invoke("iamscope-caller", {
      functionName: "arn:aws:lambda:eu-west-1:000000000000:function:iamscope-echo",
      queueUrl: "https://sqs.eu-west-1.amazonaws.com/000000000000/iamscope-jobs",
    })) as { invoked: Outcome; sent: Outcome };
    assert.equal(elsewhere.invoked.error, "AccessDeniedException");
    assert.match(
      elsewhere.invoked.message ?? "",
      /arn:aws:lambda:eu-west-1:000000000000:function:iamscope-echo /,
    );
    assert.equal(elsewhere.sent.error, "AccessDenied");
  });

  test("a function ARN naming another account or region does not exist in this one, even for the account's own scripts", async () => {
    for (const arn of [
      "arn:aws:lambda:us-east-1:111111111111:function:iamscope-echo",
      "arn:aws:lambda:eu-west-1:000000000000:function:iamscope-echo",
      "111111111111:function:iamscope-echo",
    ]) {
      const error = await rejection(lambda.send(new InvokeCommand({ FunctionName: arn })));
      assert.equal(error.name, "ResourceNotFoundException", arn);
      assert.equal(statusOf(error), 404);
      assert.match(error.message, /^Function not found: arn:aws:lambda:/);
    }
    assert.deepEqual(await invoke("arn:aws:lambda:us-east-1:000000000000:function:iamscope-echo", { n: 1 }), {
      n: 1,
    });
  });

  test("a role without logs:CreateLogGroup leaves a deleted group deleted, so a destroyed stage deploys again", async () => {
    await invoke("iamscope-echo", { marker: "first-line" });
    await eventually(
      async () => ((await groupHas("/aws/lambda/iamscope-echo", "first-line")) ? true : undefined),
      "echo's first line in its group",
    );
    // What destroying the stage does to the groups while the functions still run.
    for (const name of ["/aws/lambda/iamscope-echo", "/aws/lambda/iamscope-keeper"]) {
      await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
    }
    await invoke("iamscope-echo", { marker: "after-delete-echo" });
    await invoke("iamscope-keeper", { marker: "after-delete-keeper" });
    await logLineHandled("iamscope-echo", "after-delete-echo");
    await logLineHandled("iamscope-keeper", "after-delete-keeper");
    assert.equal(
      await groupExists("/aws/lambda/iamscope-echo"),
      false,
      "echo's role may not create its group",
    );
    assert.equal(await groupHas("/aws/lambda/iamscope-keeper", "after-delete-keeper"), true, "keeper's may");

    await c.cfn.send(new DeleteStackCommand({ StackName: STACK.stackName }));
    await waitUntilStackDeleteComplete(
      { client: c.cfn, minDelay: 1, maxDelay: 1, maxWaitTime: 60 },
      { StackName: STACK.stackName },
    );
    await deployApp(c, app.dir, STACK);
    await invoke("iamscope-echo", { marker: "redeployed" });
    await eventually(
      async () => ((await groupHas("/aws/lambda/iamscope-echo", "redeployed")) ? true : undefined),
      "echo's line in the redeployed group",
    );
  });
});
