import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type ExecutionStarter, Router } from "../../src/local/routing/router.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import { openStore } from "../../src/local/store/store.ts";
import { discoveryVariable, stateMachineArn } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { resourceVariables } from "../../src/model/resource-variables.ts";
import { routeTargets } from "../../src/model/routing/route-targets.ts";
import { awsTransport } from "../../src/runtime/aws-transport.ts";
import { tempDir } from "../support/temp.ts";

const QUERY = { StartAt: "Done", States: { Done: { Type: "Succeed" } } };

function spec() {
  return normaliseApp({
    name: "shop",
    functions: {
      place: { handler: "src/place.handler", routes: "fulfil" },
      choose: { handler: "src/choose.handler", routes: () => [], routesTo: ["jobs"] },
    },
    queues: { jobs: {} },
    stateMachines: { fulfil: { definition: QUERY } },
  });
}

/** Records what the router asks Step Functions to start. */
class RecordingStarter implements ExecutionStarter {
  readonly started: { stateMachineArn: string; name?: string; input?: string }[] = [];
  startExecution(input: { stateMachineArn: string; name?: string; input?: string }) {
    this.started.push(input);
    return { executionArn: `execution-${this.started.length}` };
  }
}

function router(t: TestContext, starter?: ExecutionStarter): Router {
  const s = spec();
  const temp = tempDir("sluice-route-sfn-");
  const db = openStore(join(temp.dir, "state.sqlite"));
  const sqs = createQueueService({ db, clock: new ManualClock(), region: s.region, accountId: s.accountId });
  sqs.ensureQueues(Object.values(s.queues));
  t.after(() => {
    sqs.close();
    db.close();
    temp.cleanup();
  });
  return new Router(s, sqs, { enqueue: () => ({ requestId: "x" }) }, undefined, starter);
}

describe("routing to a state machine", () => {
  test("locally, the router starts an execution with the routed data as input, named after the invocation", (t) => {
    const starter = new RecordingStarter();
    router(t, starter).deliver([{ to: "fulfil", data: { order: 7 } }], { from: "place", requestId: "r1" });
    assert.deepEqual(starter.started, [
      { stateMachineArn: stateMachineArn(spec(), "fulfil"), name: "r1-0", input: '{"order":7}' },
    ]);
  });

  test("locally, a routing function's routesTo is enforced for a state machine too", (t) => {
    const starter = new RecordingStarter();
    assert.throws(
      () => router(t, starter).deliver([{ to: "fulfil", data: 1 }], { from: "choose", requestId: "r2" }),
      (error: { code?: string }) => error.code === "SLUICE_ROUTE_OUTSIDE_ROUTES_TO",
    );
    assert.deepEqual(starter.started, []);
  });

  test("a router without Step Functions refuses the route as an unknown target", (t) => {
    assert.throws(
      () => router(t).deliver([{ to: "fulfil", data: 1 }], { from: "place", requestId: "r3" }),
      (error: { code?: string }) => error.code === "SLUICE_UNKNOWN_ROUTE_TARGET",
    );
  });

  test("on AWS, the wrapper's transport calls StartExecution with the ARN from the discovery variable", async () => {
    const s = spec();
    const place = s.functions.place;
    assert.ok(place);
    const started: unknown[] = [];
    const transport = awsTransport({
      targets: routeTargets(s, ["fulfil"]),
      env: {
        ...resourceVariables(s, place, () => ""),
        [discoveryVariable("STATE_MACHINE_ARN", "fulfil")]: stateMachineArn(s, "fulfil"),
      },
      clients: async () => ({
        sendMessage: async () => ({}),
        invokeAsync: async () => ({}),
        startExecution: async (input) => {
          started.push(input);
          return {};
        },
      }),
    });
    await transport.deliver([{ to: "fulfil", data: { order: 8 } }], { from: "place", requestId: "r4" });
    assert.deepEqual(started, [
      { stateMachineArn: stateMachineArn(s, "fulfil"), name: "r4-0", input: '{"order":8}' },
    ]);
  });
});

describe("a retried invocation routing to a state machine again", () => {
  const refusing = (field: "code" | "name") => ({
    startExecution(): { executionArn: string } {
      throw Object.assign(new Error("Execution Already Exists"), { [field]: "ExecutionAlreadyExists" });
    },
  });

  test("locally, is delivered: the first attempt started the execution", (t) => {
    router(t, refusing("code")).deliver([{ to: "fulfil", data: 1 }], { from: "place", requestId: "r5" });
  });

  test("on AWS, is delivered too", async () => {
    const s = spec();
    const transport = awsTransport({
      targets: routeTargets(s, ["fulfil"]),
      env: { [discoveryVariable("STATE_MACHINE_ARN", "fulfil")]: stateMachineArn(s, "fulfil") },
      clients: async () => ({
        sendMessage: async () => ({}),
        invokeAsync: async () => ({}),
        startExecution: async () => refusing("name").startExecution(),
      }),
    });
    await transport.deliver([{ to: "fulfil", data: 1 }], { from: "place", requestId: "r6" });
  });

  test("any other refusal still fails the route", (t) => {
    const starter = {
      startExecution: () => {
        throw Object.assign(new Error("no"), { code: "StateMachineDoesNotExist" });
      },
    };
    assert.throws(
      () => router(t, starter).deliver([{ to: "fulfil", data: 1 }], { from: "place", requestId: "r7" }),
      /no/,
    );
  });
});
