/**
 * `sluice executions [machine]` and `sluice execution <arn>`: Step Functions executions of the
 * `executions` fixture app, from a running `dev` (through its control API) and, without one, from
 * the app's state file. The clock is dev's, moved with `sluice time advance`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SFNClient, StartExecutionCommand, StartSyncExecutionCommand } from "@aws-sdk/client-sfn";
import { DevSession } from "../../src/dev/dev-session.ts";
import { run } from "../support/cli-in-process.ts";
import { ROOT } from "../support/cli-process.ts";
import { clientConfig } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { copyApp, type TempDir } from "../support/temp.ts";

const REVIEW = "arn:aws:states:us-east-1:000000000000:stateMachine:executions-review";

interface Listed {
  stateMachine: string;
  executionArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
}

async function listed(dir: string, ...args: string[]): Promise<Listed[]> {
  const result = await run(["executions", ...args, "--json", "--dir", dir]);
  assert.equal(result.code, 0, result.err);
  return JSON.parse(result.out) as Listed[];
}

describe("sluice executions and sluice execution", { timeout: 120_000 }, () => {
  let copy: TempDir | undefined;
  let dir = "";
  let session: DevSession | undefined;
  let sfn: SFNClient;
  const arns: Record<string, string> = {};

  before(async () => {
    copy = copyApp(join(ROOT, "test", "fixtures", "apps", "executions"));
    dir = copy.dir;
    session = await DevSession.start({ dir, watch: false });
    sfn = new SFNClient(clientConfig(session.url));
    const start = async (name: string, ok: boolean) => {
      const out = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: REVIEW, name, input: JSON.stringify({ ok }) }),
      );
      arns[name] = out.executionArn ?? "";
    };
    await start("good", true);
    assert.equal((await run(["time", "advance", "1s", "--dir", dir])).code, 0);
    await start("bad", false);
    assert.equal((await run(["time", "advance", "1h", "--dir", dir])).code, 0);
    await start("waiting", true);
  });
  after(async () => {
    sfn?.destroy();
    await session?.close();
    copy?.cleanup();
  });

  test("with a running dev: lists executions newest first, with status, start and duration", async () => {
    const all = await eventually(async () => {
      const rows = await listed(dir);
      return rows.find((r) => r.name === "bad")?.status === "FAILED" ? rows : undefined;
    }, "the rejected review to fail");
    assert.deepEqual(
      all.map((e) => [e.stateMachine, e.name, e.status]),
      [
        ["review", "waiting", "RUNNING"],
        ["review", "bad", "FAILED"],
        ["review", "good", "SUCCEEDED"],
      ],
    );
    assert.equal(all[1]?.executionArn, arns.bad);
    assert.ok((all[2]?.stopDate ?? 0) - (all[2]?.startDate ?? 0) >= 3_600_000);

    const text = await run(["executions", "--dir", dir]);
    assert.equal(text.code, 0, text.err);
    const lines = text.out.split("\n");
    assert.match(lines[0] ?? "", /^STATE MACHINE\s+EXECUTION\s+STATUS\s+STARTED\s+DURATION$/);
    assert.match(lines[1] ?? "", /^review\s+waiting\s+RUNNING\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+-$/);
    assert.match(lines[2] ?? "", /^review\s+bad\s+FAILED\s+\S+\s+1 h 0 min$/);

    const failed = await listed(dir, "--status", "FAILED");
    assert.deepEqual(
      failed.map((e) => e.name),
      ["bad"],
    );
    const byMachine = await listed(dir, "executions-review");
    assert.equal(byMachine.length, 3);
    const quick = await run(["executions", "quick", "--dir", dir]);
    assert.equal(quick.code, 1);
    assert.match(
      quick.err,
      /ListExecutions is not supported by EXPRESS state machines \(StateMachineTypeNotSupported\)/,
    );
  });

  test("with a running dev: shows one execution's history as a timeline, the failure highlighted in words", async () => {
    const text = await run(["execution", arns.bad ?? "", "--dir", dir]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^bad {2}FAILED$/m);
    assert.match(text.out, /^error Review\.Rejected: the input was not ok$/m);
    assert.match(text.out, /^TIME\s+STATE\s+EVENT\s+DETAILS$/m);
    assert.match(text.out, /^\+0\.0\d\ds\s+-\s+ExecutionStarted\s+input \{"ok":false\}$/m);
    assert.match(text.out, /^\+0\.0\d\ds\s+Prepare\s+PassStateEntered/m);
    assert.match(text.out, /^\+\d+\.\d{3}s\s+Pause\s+WaitStateEntered/m);
    assert.match(text.out, /^\+1h00m0\d\.\ds\s+Rejected\s+FailStateEntered/m);
    assert.match(
      text.out,
      /^\+1h00m0\d\.\ds\s+-\s+ExecutionFailed\s+Review\.Rejected: the input was not ok$/m,
    );

    const json = await run(["execution", "bad", "--json", "--dir", dir]);
    assert.equal(json.code, 0, json.err);
    const timeline = JSON.parse(json.out) as { execution: { status: string }; events: { type: string }[] };
    assert.equal(timeline.execution.status, "FAILED");
    assert.equal(timeline.events[0]?.type, "ExecutionStarted");
    assert.equal(timeline.events.at(-1)?.type, "ExecutionFailed");
  });

  test("with a running dev: shows an Express execution, which AWS describes only in its logs", async () => {
    const sync = new SFNClient({ ...clientConfig(session?.url ?? ""), disableHostPrefix: true });
    try {
      const quick = await sync.send(
        new StartSyncExecutionCommand({
          stateMachineArn: REVIEW.replace("review", "quick"),
          name: "fast",
          input: '{"q":1}',
        }),
      );
      const text = await run(["execution", quick.executionArn ?? "", "--dir", dir]);
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, /^fast {2}SUCCEEDED$/m);
      assert.match(text.out, /^output \{"q":1\}$/m);
      assert.match(text.out, /Done\s+PassStateEntered/);
    } finally {
      sync.destroy();
    }
  });

  test("names what exists when a machine or execution is unknown, and checks --status", async () => {
    const machine = await run(["executions", "reveiw", "--dir", dir]);
    assert.equal(machine.code, 1);
    assert.match(machine.err, /no state machine "reveiw" in this app\. Did you mean "review"\?/);
    const missing = await run([
      "execution",
      `${REVIEW.replace("stateMachine", "execution")}:nope`,
      "--dir",
      dir,
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /ExecutionDoesNotExist/);
    assert.doesNotMatch(missing.err, /internal error|\.ts:\d+/);
    const status = await run(["executions", "--status", "DONE", "--dir", dir]);
    assert.equal(status.code, 2);
    assert.match(status.err, /--status takes RUNNING, SUCCEEDED, FAILED/);
  });

  test("without a running dev: reads the executions from the app's state", async () => {
    await session?.close();
    session = undefined;
    const rows = await listed(dir);
    assert.deepEqual(
      rows.map((e) => [e.name, e.status]),
      [
        ["waiting", "RUNNING"],
        ["bad", "FAILED"],
        ["good", "SUCCEEDED"],
      ],
    );
    const text = await run(["execution", arns.good ?? "", "--dir", dir]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^good {2}SUCCEEDED$/m);
    assert.match(text.out, /Approved\s+SucceedStateEntered/);
  });
});
