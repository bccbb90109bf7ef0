import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { summariseChanges } from "../../src/aws/deploy/change-diff.ts";
import type { StackEventRow } from "../../src/aws/deploy/deploy-events.ts";
import { LiveView, plainEventLine } from "../../src/aws/deploy/progress-view.ts";
import { firstFailures } from "../../src/aws/deploy/stack-events.ts";
import { diffLines, progressRenderer } from "../../src/cli/deploy-output.ts";

let n = 0;
function event(logicalId: string, type: string, status: string, reason?: string): StackEventRow {
  n++;
  return {
    eventId: `e${n}`,
    timestamp: new Date(Date.UTC(2026, 10, 21, 9, 0, n)),
    logicalId,
    type,
    status,
    ...(reason ? { reason } : {}),
  };
}

function capture() {
  const lines: string[] = [];
  return {
    lines,
    output: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(`ERR ${t}`), color: false },
  };
}

describe("deploy progress", () => {
  test("plain lines read time, logical ID, type, status and reason", () => {
    const line = plainEventLine({
      eventId: "1",
      timestamp: new Date("2026-11-21T09:03:04.500Z"),
      logicalId: "OrdersQueue",
      type: "AWS::SQS::Queue",
      status: "CREATE_FAILED",
      reason: "Queue name exists",
    });
    assert.equal(line, "09:03:04  OrdersQueue  AWS::SQS::Queue  CREATE_FAILED  Queue name exists");
  });

  test("the live view keeps one line per resource with its latest status, and redraws in place", () => {
    const view = new LiveView("shop-dev (us-east-1)");
    view.update(event("OrdersQueue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS"));
    view.update(event("BillFunction", "AWS::Lambda::Function", "CREATE_IN_PROGRESS"));
    const first = view.redraw();
    assert.equal(first.startsWith("\x1b["), false, "the first drawing moves nothing");
    view.update(event("OrdersQueue", "AWS::SQS::Queue", "CREATE_COMPLETE"));
    view.update(event("BillFunction", "AWS::Lambda::Function", "CREATE_FAILED", "Role not ready"));
    const second = view.redraw();
    assert.ok(second.startsWith("\x1b[3A\x1b[J"), "moves up over the 3 lines drawn before and clears");
    assert.deepEqual(view.lines(), [
      "shop-dev (us-east-1)",
      "✓ OrdersQueue   AWS::SQS::Queue        CREATE_COMPLETE",
      "✗ BillFunction  AWS::Lambda::Function  CREATE_FAILED  Role not ready",
    ]);
  });

  test("the live view cuts lines to the terminal's width, so a long reason cannot wrap and break the redraw", () => {
    const view = new LiveView("t", 30);
    view.update(
      event("Fn", "AWS::Lambda::Function", "CREATE_FAILED", "a reason far longer than thirty columns"),
    );
    const [, line] = view.lines();
    assert.equal(line?.length, 30);
    assert.ok(line?.endsWith("…"));
  });

  test("a terminal that reports no width (0 columns) gets whole lines, not a column of ellipses", () => {
    const view = new LiveView("t", 0);
    view.update(event("OrdersQueue", "AWS::SQS::Queue", "CREATE_COMPLETE"));
    assert.deepEqual(view.lines(), ["t", "✓ OrdersQueue  AWS::SQS::Queue  CREATE_COMPLETE"]);
  });

  test("without a terminal every event is one plain line; on a terminal the view is redrawn", () => {
    const plain = capture();
    const render = progressRenderer(plain.output, { live: false, prefixRegion: true, quiet: false });
    render({ type: "executing", region: "eu-west-1", stackName: "shop-dev" });
    render({
      type: "stack-event",
      region: "eu-west-1",
      stackName: "shop-dev",
      event: event("Q", "AWS::SQS::Queue", "CREATE_COMPLETE"),
    });
    assert.equal(plain.lines.length, 2);
    assert.match(
      plain.lines[1] ?? "",
      /^\[eu-west-1\] \d\d:\d\d:\d\d {2}Q {2}AWS::SQS::Queue {2}CREATE_COMPLETE$/,
    );

    const tty = capture();
    const live = progressRenderer(tty.output, { live: true, prefixRegion: false, quiet: false });
    live({ type: "executing", region: "eu-west-1", stackName: "shop-dev" });
    live({
      type: "stack-event",
      region: "eu-west-1",
      stackName: "shop-dev",
      event: event("Q", "AWS::SQS::Queue", "CREATE_IN_PROGRESS"),
    });
    live({
      type: "stack-event",
      region: "eu-west-1",
      stackName: "shop-dev",
      event: event("Q", "AWS::SQS::Queue", "CREATE_COMPLETE"),
    });
    assert.equal(tty.lines.length, 2);
    assert.ok((tty.lines[1] ?? "").startsWith("\x1b[2A\x1b[J"), "redraws over the 2 lines drawn before");
    assert.match(tty.lines[1] ?? "", /✓ Q {2}AWS::SQS::Queue {2}CREATE_COMPLETE/);
  });

  test("--json prints no progress", () => {
    const quiet = capture();
    progressRenderer(quiet.output, { live: false, prefixRegion: false, quiet: true })({
      type: "no-changes",
      region: "us-east-1",
      stackName: "shop-dev",
    });
    assert.deepEqual(quiet.lines, []);
  });

  test("the diff shows each action with its mark, the changed properties and the data lost", () => {
    const lines = diffLines(
      summariseChanges([
        {
          Type: "Resource",
          ResourceChange: { Action: "Add", LogicalResourceId: "A", ResourceType: "AWS::SQS::Queue" },
        },
        {
          Type: "Resource",
          ResourceChange: {
            Action: "Modify",
            LogicalResourceId: "Q",
            ResourceType: "AWS::SQS::Queue",
            Replacement: "True",
            Details: [{ Target: { Attribute: "Properties", Name: "FifoQueue" } }],
          },
        },
      ]),
    );
    assert.deepEqual(lines, [
      "  + A  AWS::SQS::Queue",
      "  ± Q  AWS::SQS::Queue (FifoQueue)  ! loses the messages waiting in the queue",
      "  1 added, 0 modified, 1 replaced, 0 removed",
    ]);
  });

  test("reports the failures that caused a rollback, not the cancellations after them", () => {
    const failures = firstFailures([
      event("Q", "AWS::SQS::Queue", "CREATE_COMPLETE"),
      event("F", "AWS::Lambda::Function", "CREATE_FAILED", "Code not found in bucket"),
      event("R", "AWS::IAM::Role", "CREATE_FAILED", "Resource creation cancelled"),
      event(
        "shop-dev",
        "AWS::CloudFormation::Stack",
        "ROLLBACK_IN_PROGRESS",
        "The following resource(s) failed to create: [F]",
      ),
    ]);
    assert.deepEqual(
      failures.map((f) => [f.logicalId, f.reason]),
      [["F", "Code not found in bucket"]],
    );
  });
});
