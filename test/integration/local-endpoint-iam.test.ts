/**
 * Functions that call AWS with the unmodified SDK inside a real `sluice dev`: `caller` has the
 * permissions its calls need, `stranger` runs the same code without them.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { type DevProcess, startDev } from "../support/cli-process.ts";
import { clientConfig, copyAppWithSdk, ENDPOINT_APP } from "../support/endpoint.ts";

interface Outcome {
  ok?: unknown;
  error?: string;
  message?: string;
  status?: number;
}
interface CallerResult {
  sent: Outcome;
  invoked: Outcome;
  identity: Outcome;
  discoveredAudit: string | null;
}

async function endpointOf(dev: DevProcess): Promise<string> {
  const line = await dev.waitForLine(/AWS endpoint\s+http:\/\//);
  const url = /(http:\/\/\S+)/.exec(line)?.[1];
  assert.ok(url, line);
  return url;
}

async function invoke(url: string, fn: string): Promise<CallerResult> {
  const lambda = new LambdaClient(clientConfig(url));
  try {
    const result = await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from("{}") }));
    assert.equal(result.FunctionError, undefined, Buffer.from(result.Payload ?? []).toString());
    return JSON.parse(Buffer.from(result.Payload ?? []).toString("utf8")) as CallerResult;
  } finally {
    lambda.destroy();
  }
}

describe("IAM for functions' own AWS calls in sluice dev", () => {
  const app = copyAppWithSdk(ENDPOINT_APP);
  let dev: DevProcess | undefined;
  after(async () => {
    await dev?.stop();
    app.cleanup();
  });

  test("--iam enforce: the SDK inside a function reaches SQS, Lambda and STS with what it is granted", async () => {
    dev = await startDev(app.dir, { args: ["--iam", "enforce"] });
    const url = await endpointOf(dev);
    assert.match(dev.lines.join("\n"), /IAM: enforce/);
    const result = await invoke(url, "endpoint-caller");
    assert.match(String(result.sent.ok), /^[0-9a-f-]{36}$/, JSON.stringify(result.sent));
    assert.deepEqual(result.invoked.ok, { hello: "echo" });
    assert.equal(
      result.identity.ok,
      "arn:aws:sts::000000000000:assumed-role/endpoint-caller-role/endpoint-caller",
    );
    assert.equal(result.discoveredAudit, `${url}/000000000000/endpoint-audit`, "linked by its permissions");
  });

  test("--iam enforce: without the permissions, SQS and Lambda answer AccessDenied in their own formats", async () => {
    assert.ok(dev);
    const url = await endpointOf(dev);
    const result = await invoke(url, "endpoint-stranger");
    assert.equal(result.sent.error, "AccessDenied");
    assert.equal(result.sent.status, 403);
    assert.match(
      result.sent.message ?? "",
      /^User: arn:aws:sts::000000000000:assumed-role\/endpoint-stranger-role\/endpoint-stranger is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:us-east-1:000000000000:endpoint-audit because no identity-based policy allows the sqs:sendmessage action/,
    );
    assert.match(
      result.sent.message ?? "",
      /resources: \["queue:audit"\] \} to functions\.stranger\.permissions/,
    );
    assert.equal(result.invoked.error, "AccessDeniedException");
    assert.equal(result.invoked.status, 403);
    assert.match(
      result.invoked.message ?? "",
      /not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:endpoint-echo/,
    );
    assert.equal(
      result.identity.ok,
      "arn:aws:sts::000000000000:assumed-role/endpoint-stranger-role/endpoint-stranger",
      "GetCallerIdentity needs no permission",
    );
    assert.equal(result.discoveredAudit, null, "not linked: nothing grants it the queue");
    const denied = await dev.waitForLine(
      /\[stranger\] IAM DENIED: sqs:SendMessage on arn:aws:sqs:us-east-1:000000000000:endpoint-audit/,
    );
    assert.ok(denied);
    await dev.waitForLine(
      /grant it: functions\.stranger\.permissions: \[\{ actions: \["lambda:InvokeFunction"\], resources: \["function:echo"\] \}\]/,
    );
    await dev.stop();
    dev = undefined;
  });

  test("--iam warn (the default): the same calls go through, each with a loud warning", async () => {
    dev = await startDev(app.dir);
    const url = await endpointOf(dev);
    const result = await invoke(url, "endpoint-stranger");
    assert.match(String(result.sent.ok), /^[0-9a-f-]{36}$/, JSON.stringify(result.sent));
    assert.deepEqual(result.invoked.ok, { hello: "echo" });
    await dev.waitForLine(
      /\[stranger\] IAM would be denied on AWS: sqs:SendMessage on arn:aws:sqs:us-east-1:000000000000:endpoint-audit/,
    );
    await dev.waitForLine(/\[stranger\] IAM would be denied on AWS: lambda:InvokeFunction/);
  });
});
