/**
 * examples/poll-to-push with the real CLI (IAM enforced): what only a `sluice dev` process shows.
 * A dev killed with SIGKILL while an execution waits for its client resumes it on the next start,
 * and the README's `sluice executions` / `sluice execution` commands show the finished run. The
 * app's behaviour (the WebSocket handshake, the Wait, 410 GoneException into ClientGone, the
 * refused token, OpenConnection's timeout, the 400) is tested with `sluice/testing` in
 * examples/poll-to-push/test/poll-to-push.test.ts.
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
import { connect, type Started } from "../../examples/poll-to-push/test/client.ts";
import { type DevProcess, ROOT, sluice, startDev } from "../support/cli-process.ts";
import { clientConfig } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

const EXAMPLE = join(ROOT, "examples", "poll-to-push");

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

  test("kill -9 of dev while an execution waits for its client: the next dev resumes it, the same token completes it, `executions` lists it", async () => {
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
    socket.send({ taskToken: started.taskToken });
    assert.deepEqual(await socket.next("accepted"), { type: "accepted" });
    await advance("30s");
    const pushed = await socket.next("result");
    assert.equal(pushed.type, "result", JSON.stringify(pushed));
    assert.equal((await fetch(pushed.url ?? "")).status, 200);
    assert.equal((await settled(started.executionArn)).status, "SUCCEEDED");
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
});
