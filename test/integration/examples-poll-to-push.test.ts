/**
 * examples/poll-to-push end to end in a real `sluice dev` (IAM enforced): the client's side of the
 * poll-to-push post (AWS Compute Blog, "From Poll to Push") with `fetch` and the `ws` package, the
 * executions' side through `@aws-sdk/client-sfn`, the state machine's Wait passed with
 * `sluice time advance`.
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
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import WebSocket from "ws";
import { type DevProcess, ROOT, sluice, startDev } from "../support/cli-process.ts";
import { clientConfig } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

const EXAMPLE = join(ROOT, "examples", "poll-to-push");

interface Started {
  readonly executionArn: string;
  readonly taskToken: string;
}

interface Pushed {
  readonly type: "accepted" | "result" | "error";
  readonly url?: string;
  readonly executionArn?: string;
  readonly message?: string;
}

/** A WebSocket client whose messages are read in order with `next()`. */
interface Socket {
  readonly ws: WebSocket;
  /** The next message; `what` names it in the error when none comes. */
  next(what: string): Promise<Pushed>;
  close(): Promise<void>;
}

function connect(url: string): Promise<Socket> {
  const ws = new WebSocket(url);
  const received: Pushed[] = [];
  const waiting: ((message: Pushed) => void)[] = [];
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as Pushed;
    const wake = waiting.shift();
    if (wake) wake(message);
    else received.push(message);
  });
  const socket: Socket = {
    ws,
    next: (what) =>
      new Promise((resolve, reject) => {
        const ready = received.shift();
        if (ready) return resolve(ready);
        const timer = setTimeout(
          () => reject(new Error(`no ${what} message on the WebSocket within 60 s`)),
          60_000,
        );
        waiting.push((message) => {
          clearTimeout(timer);
          resolve(message);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once("close", () => resolve());
        ws.close(1000, "done");
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(socket));
    ws.once("error", reject);
  });
}

describe("examples/poll-to-push end to end in a real `sluice dev`", { timeout: 170_000 }, () => {
  let app: ReturnType<typeof copyApp>;
  let dev: DevProcess;
  let http: string;
  let websocket: string;
  let sfn: SFNClient;
  const recent = () => `dev's last lines:\n${dev.lines.slice(-40).join("\n")}`;

  before(async () => {
    app = copyApp(EXAMPLE, "sluice-poll-to-push-");
    dev = await startDev(app.dir, { args: ["--iam", "enforce"] });
    const banner = dev.lines.join("\n");
    http = /HTTP API\s+(http:\/\/\S+)/.exec(banner)?.[1] ?? "";
    websocket = /WebSocket API\s+(ws:\/\/\S+)/.exec(banner)?.[1] ?? "";
    const endpoint = /AWS endpoint\s+(http:\/\/\S+)/.exec(banner)?.[1] ?? "";
    assert.ok(http && websocket && endpoint, `dev prints its URLs:\n${banner}`);
    sfn = new SFNClient(clientConfig(endpoint));
  });

  after(async () => {
    sfn?.destroy();
    await dev?.stop();
    app?.cleanup();
  });

  const startQuery = async (country: string): Promise<Started> => {
    const response = await fetch(`${http}/queries`, { method: "POST", body: JSON.stringify({ country }) });
    const text = await response.text();
    assert.equal(response.status, 201, `${text}\n${recent()}`);
    return JSON.parse(text) as Started;
  };

  const advance = async (duration: string) => {
    const result = await sluice(["time", "advance", duration, "--dir", app.dir]);
    assert.equal(result.code, 0, result.stderr);
  };

  const describeExecution = (executionArn: string) =>
    sfn.send(new DescribeExecutionCommand({ executionArn }));

  /** Waits for the execution to end; on a timeout, says where its history stopped. */
  const settled = (executionArn: string) => {
    let events = "";
    return eventually<DescribeExecutionCommandOutput>(
      async () => {
        const described = await describeExecution(executionArn);
        if (described.status !== "RUNNING") return described;
        const history = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 8 }),
        );
        events = JSON.stringify(history.events ?? [], null, 1);
        return undefined;
      },
      `execution ${executionArn} to end`,
      { detail: () => `its latest events: ${events}\n${recent()}` },
    );
  };

  test("kill -9 of dev while an execution waits for its client: the next dev resumes it, and the same token completes it", async () => {
    // First, before any `time advance`: dev's clock offset is not kept across a restart, so a
    // Wait armed in an advanced future would wait the advance again on the wall clock.
    const started = await startQuery("Kenya");
    await dev.stop("SIGKILL");
    sfn.destroy();

    dev = await startDev(app.dir, { args: ["--iam", "enforce"] });
    const banner = dev.lines.join("\n");
    http = /HTTP API\s+(http:\/\/\S+)/.exec(banner)?.[1] ?? "";
    websocket = /WebSocket API\s+(ws:\/\/\S+)/.exec(banner)?.[1] ?? "";
    const endpoint = /AWS endpoint\s+(http:\/\/\S+)/.exec(banner)?.[1] ?? "";
    assert.ok(http && websocket && endpoint, `dev prints its URLs:\n${banner}`);
    sfn = new SFNClient(clientConfig(endpoint));
    assert.equal((await describeExecution(started.executionArn)).status, "RUNNING");

    const socket = await connect(websocket);
    socket.ws.send(JSON.stringify({ taskToken: started.taskToken }));
    assert.deepEqual(await socket.next("accepted"), { type: "accepted" });
    await advance("30s");
    const pushed = await socket.next("result");
    assert.equal(pushed.type, "result", JSON.stringify(pushed));
    assert.equal((await fetch(pushed.url ?? "")).status, 200);
    assert.equal((await settled(started.executionArn)).status, "SUCCEEDED");
    await socket.close();
  });

  test("POST /queries answers with a running execution and its task token; the token over the WebSocket completes OpenConnection; after the query the result's presigned URL arrives on the socket", async () => {
    const started = await startQuery("France");
    assert.match(started.executionArn, /^arn:aws:states:us-east-1:\d{12}:execution:[^:]*query:[\w-]+$/);
    assert.ok(started.taskToken.length > 0);
    assert.equal((await describeExecution(started.executionArn)).status, "RUNNING");

    const socket = await connect(websocket);
    socket.ws.send(JSON.stringify({ taskToken: started.taskToken }));
    assert.deepEqual(await socket.next("accepted"), { type: "accepted" });

    // OpenConnection is done; the query waits for its slot (a 30-second Wait) on Sluice's clock.
    const types = await eventually(
      async () => {
        const history = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn: started.executionArn }),
        );
        const types = (history.events ?? []).map((e) => e.type ?? "");
        return types.includes("TaskSucceeded") ? types : undefined;
      },
      "OpenConnection's TaskSucceeded in the history",
      { detail: recent },
    );
    assert.ok(types.includes("WaitStateEntered"), `the query branch waits: ${types.join(", ")}`);
    assert.ok(!types.includes("ExecutionSucceeded"), types.join(", "));
    assert.equal((await describeExecution(started.executionArn)).status, "RUNNING");

    await advance("30s");
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

    const done = await settled(started.executionArn);
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

    // The README's last two commands: the machine's executions, and this one's timeline.
    const name = started.executionArn.split(":").at(-1) ?? "";
    const listed = await sluice(["executions", "query", "--dir", app.dir]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${name}\\s+SUCCEEDED`));
    const timeline = await sluice(["execution", started.executionArn, "--dir", app.dir]);
    assert.equal(timeline.code, 0, timeline.stderr);
    for (const state of ["OpenConnection", "WaitForQuerySlot", "RunQuery", "IssueCallback"]) {
      assert.match(timeline.stdout, new RegExp(state), timeline.stdout);
    }
  });

  test("a client that closes its socket before the result: @connections answers 410 GoneException and the Catch fails the execution in ClientGone", async () => {
    const started = await startQuery("Japan");
    const socket = await connect(websocket);
    socket.ws.send(JSON.stringify({ taskToken: started.taskToken }));
    assert.deepEqual(await socket.next("accepted"), { type: "accepted" });
    await socket.close();

    await advance("30s");
    const done = await settled(started.executionArn);
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
    const socket = await connect(websocket);
    socket.ws.send(JSON.stringify({ taskToken: "not-a-token" }));
    const answer = await socket.next("error");
    assert.equal(answer.type, "error");
    assert.match(answer.message ?? "", /refused: (InvalidToken|TaskDoesNotExist)/);
    await socket.close();
  });

  test("a client that never connects: OpenConnection times out after 600 s and the execution fails in ClientNeverConnected", async () => {
    const started = await startQuery("Chile");
    await advance("30s");
    // The query ran; the execution still waits for the client.
    assert.equal((await describeExecution(started.executionArn)).status, "RUNNING");
    await advance("10m");
    const done = await settled(started.executionArn);
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "ClientNeverConnected");
  });

  test("a query that is not a country is refused with 400 and starts nothing", async () => {
    const response = await fetch(`${http}/queries`, { method: "POST", body: '{"country": 42}' });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /country/);
  });
});
