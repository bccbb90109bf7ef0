import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../src/model/config-error.ts";
import { defineApp } from "../../src/model/define-app.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { resourcesOf } from "../../src/runtime/resources.ts";

const flow = { StartAt: "Done", States: { Done: { Type: "Succeed" } } };

test("routes and permissions name a state machine, and the definition normalises", () => {
  const app = defineApp({
    name: "poll",
    stateMachines: { query: { definition: flow, type: "STANDARD" } },
    functions: {
      start: { handler: "src/start.handler", routes: "query" },
      connect: {
        handler: "src/connect.handler",
        permissions: [{ actions: ["states:SendTaskSuccess"], resources: ["stateMachine:query"] }],
      },
    },
  });
  assert.equal(normaliseApp(app).stateMachines?.query?.stateMachineName, "poll-query");
  const resources = resourcesOf<never, never, never, never, never, "query">({
    SLUICE_STATE_MACHINE_QUERY_ARN: "arn",
  });
  assert.equal(resources.stateMachineArn("query"), "arn");
});

test("what the compiler rejects about state machines, normaliseApp rejects too", () => {
  const bad = () => [
    defineApp({
      name: "a",
      stateMachines: { query: { definition: flow } },
      // @ts-expect-error "qeury" is no function, queue, bus or state machine
      functions: { start: { handler: "src/start.handler", routes: "qeury" } },
    }),
    defineApp({
      name: "a",
      stateMachines: { query: { definition: flow } },
      functions: {
        start: {
          handler: "src/start.handler",
          // @ts-expect-error "stateMachine:qeury" names no state machine
          permissions: [{ actions: ["states:StartExecution"], resources: ["stateMachine:qeury"] }],
        },
      },
    }),
    defineApp({
      name: "a",
      // @ts-expect-error a state machine's type is STANDARD or EXPRESS
      stateMachines: { query: { definition: flow, type: "BATCH" } },
      functions: { start: { handler: "src/start.handler" } },
    }),
  ];
  for (const app of bad()) assert.throws(() => normaliseApp(app), ConfigError);
});
