/**
 * Poll to push through `sluice/testing`: the client's side with `fetch` and the `ws` package on the
 * app's HTTP and WebSocket APIs, the executions' side with `@aws-sdk/client-sfn` on the app's
 * endpoint, the state machine's 30-second Wait and OpenConnection's 600-second timeout passed with
 * `clock.advance`. `npm test` runs it; `sluice dev`'s side (a dev killed mid-execution, the
 * `executions` commands) is tested in test/integration/examples-poll-to-push.test.ts.
 *
 * What the definition promises: OpenConnection (`lambda:invoke.waitForTaskToken`) completes with
 * SendTaskSuccess's output (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token);
 * a Parallel state's output is the array of its branches' outputs
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html); a Lambda function's
 * error is reported under its errorType, which Catch matches by name
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html); and a task's
 * TimeoutSeconds fails it with States.Timeout. `@connections` answers 410 GoneException for a
 * connection that is closed or gone (https://repost.aws/knowledge-center/410-gone-api-gateway).
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from "@aws-sdk/client-sfn";
import { startApp, type TestApp } from "sluice/testing";
import { connect, type Started } from "./client.ts";

const APP = resolve(import.meta.dirname, "..");

describe("examples/poll-to-push", () => {
  let app: TestApp;
  let sfn: SFNClient;
  beforeEach(async () => {
    // The wall clock's now: the result's presigned URL is signed with the functions' Date.now().
    app = await startApp(APP);
    sfn = new SFNClient({
      endpoint: app.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  afterEach(async () => {
    sfn?.destroy();
    await app?.close();
  });

  const startQuery = async (country: string): Promise<Started> => {
    const response = await fetch(`${app.httpUrl}/queries`, {
      method: "POST",
      body: JSON.stringify({ country }),
    });
    const text = await response.text();
    assert.equal(response.status, 201, text);
    return JSON.parse(text) as Started;
  };
  const describeExecution = (executionArn: string) =>
    sfn.send(new DescribeExecutionCommand({ executionArn }));
  const historyTypes = async (executionArn: string) =>
    ((await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? []).map(
      (e) => e.type ?? "",
    );
  const openSocket = async () => {
    assert.ok(app.websocketUrl, "the app has a WebSocket API");
    return connect(app.websocketUrl);
  };

  test("the token over the WebSocket completes OpenConnection; after the query's Wait the result's presigned URL arrives on the socket", async () => {
    const started = await startQuery("France");
    assert.match(started.executionArn, /^arn:aws:states:us-east-1:\d{12}:execution:[^:]*query:[\w-]+$/);
    assert.ok(started.taskToken.length > 0);
    assert.equal((await describeExecution(started.executionArn)).status, "RUNNING");

    const socket = await openSocket();
    socket.send({ taskToken: started.taskToken });
    assert.deepEqual(await socket.next("accepted"), { type: "accepted" });
    await app.settle();

    // OpenConnection is done; the query waits for its slot (a 30-second Wait) on the app's clock.
    const types = await historyTypes(started.executionArn);
    assert.ok(types.includes("TaskSucceeded"), types.join(", "));
    assert.ok(types.includes("WaitStateEntered"), `the query branch waits: ${types.join(", ")}`);
    assert.ok(!types.includes("ExecutionSucceeded"), types.join(", "));

    await app.clock.advance("30s");
    const pushed = await socket.next("result");
    assert.equal(pushed.type, "result", JSON.stringify(pushed));
    assert.equal(pushed.executionArn, started.executionArn);
    const result = await fetch(pushed.url ?? "");
    assert.equal(result.status, 200, await result.clone().text());
    const summary = (await result.json()) as {
      country: string;
      tweets: number;
      positive: number;
      negative: number;
    };
    assert.equal(summary.country, "France");
    assert.equal(summary.positive + summary.negative, summary.tweets);

    const done = await describeExecution(started.executionArn);
    assert.equal(done.status, "SUCCEEDED", `${done.error}: ${done.cause}`);
    const output = JSON.parse(done.output ?? "{}") as {
      connection: { connectionId: string };
      result: { key: string };
      delivery: { deliveredAt: string };
    };
    assert.ok(output.connection.connectionId, "the connection is OpenConnection's output");
    assert.match(output.result.key, /^results\/[\w-]+\.json$/);
    assert.ok(output.delivery.deliveredAt);
    await socket.close();
  });

  test("a client that closes its socket before the result: @connections answers 410 GoneException and the Catch fails the execution in ClientGone", async () => {
    const started = await startQuery("Japan");
    const socket = await openSocket();
    socket.send({ taskToken: started.taskToken });
    assert.deepEqual(await socket.next("accepted"), { type: "accepted" });
    await socket.close();
    await app.settle();

    await app.clock.advance("30s");
    const done = await describeExecution(started.executionArn);
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "ClientGone");
    assert.match(done.cause ?? "", /410 GoneException/);
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    const failed = (history.events ?? []).find((e) => e.type === "TaskFailed");
    assert.equal(failed?.taskFailedEventDetails?.error, "GoneException", JSON.stringify(history.events));
    assert.ok(
      (history.events ?? []).some((e) => e.type === "ExecutionFailed"),
      "the Fail state ends the execution",
    );
  });

  test("a token the machine did not issue is refused on the socket", async () => {
    const socket = await openSocket();
    socket.send({ taskToken: "not-a-token" });
    const answer = await socket.next("error");
    assert.equal(answer.type, "error");
    assert.match(answer.message ?? "", /refused: (InvalidToken|TaskDoesNotExist)/);
    await socket.close();
  });

  test("a client that never connects: OpenConnection times out after 600 s and the execution fails in ClientNeverConnected", async () => {
    const started = await startQuery("Chile");
    await app.clock.advance("30s");
    // The query ran; the execution still waits for the client.
    assert.equal((await describeExecution(started.executionArn)).status, "RUNNING");
    await app.clock.advance("10m");
    const done = await describeExecution(started.executionArn);
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "ClientNeverConnected");
  });

  test("a query that is not a country is refused with 400 and starts nothing", async () => {
    const response = await fetch(`${app.httpUrl}/queries`, { method: "POST", body: '{"country": 42}' });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /country/);
    await app.settle();
    assert.deepEqual(app.traces({ resource: "function:register" }), []);
  });
});
