/**
 * Lambda's loop detection does not count through Step Functions (invocation-recursion.html lists
 * only functions, SQS, S3 and SNS): a Lambda task continues the execution's trace without its Lineage.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { invokeTask } from "../../src/local/stepfunctions/integrations/lambda-task.ts";
import type { TaskServices } from "../../src/local/stepfunctions/integrations/task-services.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const ROOT = "1-67891233-abcdef012345678912345678";
const EXECUTION = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0;Lineage=a87bd80c:3`;

test("a Lambda task's invoke keeps the execution's Root and Parent and drops its Lineage", async () => {
  const spec = normaliseApp({ name: "app", functions: { echo: { handler: "src/echo.handler" } } });
  const headers: (string | undefined)[] = [];
  const services = {
    spec,
    invokeAsync: (_name: string, _payload: string, traceHeader?: string) => {
      headers.push(traceHeader);
      return { requestId: "r" };
    },
  } as unknown as TaskServices;
  await invokeTask(services, {
    resource: "arn:aws:states:::lambda:invoke",
    pattern: "request-response",
    parameters: { FunctionName: "echo", InvocationType: "Event", Payload: {} },
    executionArn: "arn:aws:states:us-east-1:000000000000:execution:m:e",
    stateName: "Echo",
    roleArn: "arn:aws:iam::000000000000:role/r",
    traceHeader: EXECUTION,
    signal: new AbortController().signal,
  } as never);
  assert.equal(headers.length, 1);
  assert.equal(headers[0], `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`);
});
