/**
 * Where a trace starts or continues at the edges of the local cloud (issue 20, slice T2): an S3
 * notification continues the writer's trace with the bucket as source, a DynamoDB stream batch
 * starts a trace with the table as source, and a state machine a route started invokes its
 * function in the route's trace with the machine as source.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalCloud } from "../../src/local/local-cloud.ts";
import type { TraceHop } from "../../src/local/traces/index.ts";
import { newTraceHeader, traceRootOf } from "../../src/local/traces/index.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { bundleFixture } from "../support/fixture-bundle.ts";
import { eventually } from "../support/poll.ts";
import { tempDir } from "../support/temp.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/trace-chain/handlers.mjs", import.meta.url));
const states = (action: string) => `arn:aws:states:::${action}`;

const DEFINITION = {
  name: "sources",
  buckets: { uploads: { events: [{ function: "onUpload", on: ["s3:ObjectCreated:*"] }] } },
  tables: { games: { partitionKey: { name: "pk", type: "S" }, stream: "NEW_IMAGE" } },
  functions: {
    onUpload: { handler: "handlers.sink" },
    noter: { handler: "handlers.sink", consumes: { table: "games", startingPosition: "TRIM_HORIZON" } },
    echo: { handler: "handlers.sink" },
    starter: { handler: "handlers.starter", routes: "flow" },
  },
  stateMachines: {
    flow: {
      definition: {
        StartAt: "Call",
        States: {
          Call: {
            Type: "Task",
            Resource: states("lambda:invoke"),
            Parameters: { FunctionName: "echo", "Payload.$": "$" },
            End: true,
          },
        },
      },
    },
  },
};

let cloud: LocalCloud;
const cleanups: (() => void)[] = [];

before(async () => {
  const { file, cleanup } = await bundleFixture(FIXTURE, "sluice-trace-sources-");
  cleanups.push(cleanup);
  const state = tempDir("sluice-trace-sources-state-");
  cleanups.push(state.cleanup);
  cloud = new LocalCloud({
    spec: normaliseApp(DEFINITION),
    stateDir: state.dir,
    clock: new ManualClock(),
    code: (fn) => ({ file, exportName: fn.handler.export }),
  });
  cloud.start();
});

after(async () => {
  await cloud?.close();
  for (const cleanup of cleanups) cleanup();
});

const invokesOf = (target: string) =>
  cloud.traces
    .list({ resource: target })
    .flatMap((s) =>
      (cloud.traces.timeline(s.traceId)?.hops ?? []).filter(
        (h) => h.kind === "invoke" && h.target === target,
      ),
    );

function invokeOf(target: string, what: string): Promise<TraceHop> {
  return eventually(() => invokesOf(target)[0], what);
}

describe("trace sources at the edges", { timeout: 120_000 }, () => {
  test("an S3 notification's invocation continues the writer's trace, caused by the bucket", async () => {
    const writer = newTraceHeader(cloud.clock.now());
    const bucket = cloud.spec.buckets?.uploads?.bucketName ?? "";
    const origin = { principalId: "AWS:writer", sourceIp: "127.0.0.1", requestId: "r1", traceHeader: writer };
    cloud.s3.putObject(bucket, "a.txt", Buffer.from("a"), {}, { origin });
    const hop = await invokeOf("function:onUpload", "the notified invocation");
    assert.equal(hop.source, "bucket:uploads");
    assert.equal(hop.traceId, traceRootOf(writer));
  });

  test("a DynamoDB stream batch starts a trace of its own, caused by the table", async () => {
    const table = cloud.spec.tables?.games?.tableName ?? "";
    cloud.dynamodb.execute("PutItem", { TableName: table, Item: { pk: { S: "one" } } });
    const hop = await invokeOf("function:noter", "the stream batch's invocation");
    assert.equal(hop.source, "table:games");
    assert.equal(hop.attempt, 1);
    const timeline = cloud.traces.timeline(hop.traceId);
    assert.equal(timeline?.hops[0]?.hopId, hop.hopId, "the batch's invocation starts its trace");
  });

  test("a routed execution's task invokes in the route's trace, caused by the machine", async () => {
    const result = await cloud.invoke("starter", JSON.stringify({ id: "sfn-1" }));
    const hop = await invokeOf("function:echo", "the task's invocation");
    assert.equal(hop.source, "machine:flow");
    assert.equal(hop.traceId, traceRootOf(result.traceHeader));
  });
});
