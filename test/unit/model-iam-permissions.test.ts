import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { apiId } from "../../src/local/apigateway/gateway-ids.ts";
import { localApiId } from "../../src/model/api-ids.ts";
import { ConfigError } from "../../src/model/config-error.ts";
import { defineApp } from "../../src/model/define-app.ts";
import { assumedRoleArn, functionPolicy, functionRoleName } from "../../src/model/iam/function-grants.ts";
import { policyAllows } from "../../src/model/iam/match.ts";
import { permissionWarnings } from "../../src/model/iam/permission-warnings.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { resourceVariables } from "../../src/model/resource-variables.ts";

const app = normaliseApp(
  defineApp({
    name: "shop",
    queues: {
      orders: { deadLetter: { maxReceiveCount: 3 } },
      audit: {},
      ordered: { fifo: true },
    },
    functions: {
      take: { handler: "src/take.handler", consumes: { queue: "orders" }, routes: ["bill", "audit"] },
      bill: { handler: "src/bill.handler" },
      report: {
        handler: "src/report.handler",
        permissions: [
          { actions: ["sqs:SendMessage"], resources: ["queue:ordered", "queue:orders-dlq"] },
          { actions: ["lambda:InvokeFunction"], resources: ["function:bill"] },
          { actions: ["sqs:ListQueues"], resources: ["*"] },
        ],
      },
      decide: { handler: "src/decide.handler", routes: () => [] },
    },
  }),
);

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const allows = (fn: string, action: string, resource: string) => {
  const spec = app.functions[fn];
  assert.ok(spec);
  return policyAllows(functionPolicy(app, spec), action, resource);
};

describe("permissions a function's wiring implies", () => {
  test("a consumer may receive, delete, read attributes of and change visibility on its queue only", () => {
    for (const action of [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ]) {
      assert.equal(allows("take", action, arn("shop-orders")), true, action);
      assert.equal(allows("take", action, arn("shop-audit")), false, `${action} on another queue`);
    }
    assert.equal(allows("take", "sqs:PurgeQueue", arn("shop-orders")), false);
  });

  test("routing targets: SendMessage to a queue, InvokeFunction of a function", () => {
    assert.equal(allows("take", "sqs:SendMessage", arn("shop-audit")), true);
    assert.equal(allows("take", "lambda:InvokeFunction", fnArn("shop-bill")), true);
    assert.equal(allows("take", "lambda:InvokeFunction", fnArn("shop-report")), false);
    assert.equal(allows("bill", "sqs:SendMessage", arn("shop-audit")), false, "bill routes nowhere");
  });

  test("a routing function may reach every function and declared queue, since its targets are code", () => {
    assert.equal(allows("decide", "sqs:SendMessage", arn("shop-audit")), true);
    assert.equal(allows("decide", "lambda:InvokeFunction", fnArn("shop-report")), true);
    assert.equal(
      allows("decide", "sqs:SendMessage", arn("shop-orders-dlq")),
      false,
      "generated DLQs are not targets",
    );
  });

  test("every function may write its own log group", () => {
    const group = "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/shop-bill:*";
    assert.equal(allows("bill", "logs:PutLogEvents", group), true);
    assert.equal(allows("take", "logs:PutLogEvents", group), false);
  });
});

describe("declared permissions", () => {
  test("queue: and function: names resolve to ARNs; a function also covers its qualified ARNs", () => {
    assert.equal(allows("report", "sqs:SendMessage", arn("shop-ordered.fifo")), true);
    assert.equal(allows("report", "sqs:SendMessage", arn("shop-orders-dlq")), true);
    assert.equal(allows("report", "sqs:SendMessage", arn("shop-audit")), false);
    assert.equal(allows("report", "lambda:InvokeFunction", fnArn("shop-bill")), true);
    assert.equal(allows("report", "lambda:InvokeFunction", `${fnArn("shop-bill")}:$LATEST`), true);
    assert.equal(allows("report", "sqs:ListQueues", "*"), true);
  });

  test("the policy document is IAM-shaped, with statement ids and ARNs only", () => {
    const report = app.functions.report;
    assert.ok(report);
    const policy = functionPolicy(app, report);
    assert.equal(policy.Version, "2012-10-17");
    assert.deepEqual(
      policy.Statement.map((s) => s.Sid),
      ["WriteLogs", "Declared1", "Declared2", "Declared3"],
    );
    for (const statement of policy.Statement) {
      assert.equal(statement.Effect, "Allow");
      for (const resource of statement.Resource) assert.match(resource, /^(arn:aws:|\*$)/);
    }
  });

  test("actions match case-insensitively and with wildcards; resources case-sensitively", () => {
    const policy = {
      Version: "2012-10-17" as const,
      Statement: [
        {
          Sid: "A",
          Effect: "Allow" as const,
          Action: ["sqs:Send*", "lambda:invoke?unction"],
          Resource: ["arn:aws:sqs:*:*:Jobs"],
        },
      ],
    };
    assert.equal(policyAllows(policy, "sqs:sendmessage", "arn:aws:sqs:us-east-1:1:Jobs"), true);
    assert.equal(policyAllows(policy, "lambda:InvokeFunction", "arn:aws:sqs:us-east-1:1:Jobs"), true);
    assert.equal(policyAllows(policy, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:jobs"), false);
    assert.equal(policyAllows(policy, "sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:1:Jobs"), false);
  });

  test("the principal is the function's role, assumed in a session named after the function", () => {
    const bill = app.functions.bill;
    assert.ok(bill);
    assert.equal(
      assumedRoleArn(app, bill),
      "arn:aws:sts::000000000000:assumed-role/shop-bill-role/shop-bill",
    );
    const long = { ...bill, functionName: "a".repeat(64) };
    assert.ok(functionRoleName(long).length <= 64);
    assert.match(functionRoleName(long), /-[0-9a-f]{8}-role$/);
  });
});

describe("validating declared permissions", () => {
  const issues = (permissions: unknown): { path: string; message: string }[] => {
    try {
      normaliseApp({
        name: "v",
        queues: { jobs: {} },
        functions: { work: { handler: "src/work.handler", permissions } },
      });
      return [];
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.issues.map((i) => ({ path: i.path, message: i.message }));
    }
  };

  test("a valid statement passes and is kept as written", () => {
    const spec = normaliseApp({
      name: "v",
      queues: { jobs: {} },
      functions: {
        work: {
          handler: "src/work.handler",
          permissions: [{ actions: ["sqs:SendMessage"], resources: ["queue:jobs"] }],
        },
      },
    });
    assert.deepEqual(spec.functions.work?.permissions, [
      { actions: ["sqs:SendMessage"], resources: ["queue:jobs"] },
    ]);
  });

  test("unknown queues and functions are named, with the closest one suggested", () => {
    const found = issues([{ actions: ["sqs:SendMessage"], resources: ["queue:jbos"] }]);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.path, "functions.work.permissions[0].resources[0]");
    assert.match(found[0]?.message ?? "", /names no queue.*Did you mean "jobs"/);
    assert.match(
      issues([{ actions: ["lambda:InvokeFunction"], resources: ["function:nope"] }])[0]?.message ?? "",
      /no function/,
    );
  });

  test("batch API operations and misspelt SQS actions are rejected with the right IAM action", () => {
    assert.match(
      issues([{ actions: ["sqs:SendMessageBatch"], resources: ["queue:jobs"] }])[0]?.message ?? "",
      /"sqs:SendMessage"/,
    );
    assert.match(
      issues([{ actions: ["lambda:Invoke"], resources: ["*"] }])[0]?.message ?? "",
      /lambda:InvokeFunction/,
    );
    assert.match(
      issues([{ actions: ["sqs:SendMesage"], resources: ["queue:jobs"] }])[0]?.message ?? "",
      /Did you mean "SendMessage"/,
    );
    assert.match(
      issues([{ actions: ["SendMessage"], resources: ["queue:jobs"] }])[0]?.message ?? "",
      /service prefix/,
    );
  });

  test("shapes: not a list, empty lists, bad resources, a resource no action applies to", () => {
    assert.match(issues({ actions: [] })[0]?.message ?? "", /list of statements/);
    assert.match(issues([{ actions: [], resources: ["*"] }])[0]?.message ?? "", /non-empty list/);
    assert.match(
      issues([{ actions: ["sqs:SendMessage"], resources: ["jobs"] }])[0]?.message ?? "",
      /queue, function, event bus, table, bucket or state machine of this app, an ARN, or \*/,
    );
    assert.match(
      issues([{ actions: ["lambda:InvokeFunction"], resources: ["queue:jobs"] }])[0]?.message ?? "",
      /none of the statement's actions applies to a queue/,
    );
    assert.match(
      issues([{ actions: ["sqs:SendMessage"], resources: ["*"], extra: 1 }])[0]?.message ?? "",
      /unknown option/,
    );
  });

  test("names that share a discovery variable are rejected", () => {
    assert.throws(
      () =>
        normaliseApp({
          name: "v",
          queues: { "a-b": {}, a_b: {} },
          functions: { work: { handler: "src/work.handler" } },
        }),
      /share the discovery variable SLUICE_QUEUE_A_B_URL/,
    );
  });

  test("wildcards are valid IAM, so they are warnings, not errors", () => {
    const spec = normaliseApp({
      name: "v",
      queues: { jobs: {} },
      functions: {
        work: {
          handler: "src/work.handler",
          permissions: [
            { actions: ["sqs:*"], resources: ["*"] },
            { actions: ["sqs:ListQueues"], resources: ["*"] },
          ],
        },
      },
    });
    const warnings = permissionWarnings(spec);
    assert.deepEqual(
      warnings.map((w) => w.path),
      ["functions.work.permissions[0].actions[0]", "functions.work.permissions[0].resources[0]"],
      "ListQueues needs * and is not warned about",
    );
  });

  test("the compiler checks queue: and function: names", () => {
    const check = () =>
      defineApp({
        name: "t",
        queues: { jobs: {} },
        functions: {
          a: {
            handler: "src/a.handler",
            permissions: [
              { actions: ["sqs:SendMessage"], resources: ["queue:jobs", "queue:jobs-dlq", "function:b"] },
            ],
          },
          b: {
            handler: "src/b.handler",
            // @ts-expect-error "queue:nope" names no queue
            permissions: [{ actions: ["sqs:SendMessage"], resources: ["queue:nope"] }],
          },
        },
      });
    assert.throws(() => normaliseApp(check()), ConfigError);
  });
});

describe("permissions for async destinations and WebSocket connections", () => {
  const wired = normaliseApp(
    defineApp({
      name: "chat",
      queues: { done: {}, failed: {}, discarded: {}, other: {} },
      functions: {
        worker: {
          handler: "src/worker.handler",
          async: { onSuccess: "done", onFailure: "cleanup", deadLetter: "discarded" },
        },
        cleanup: { handler: "src/cleanup.handler", async: { onFailure: "failed" } },
        talk: { handler: "src/talk.handler" },
        idle: { handler: "src/idle.handler" },
      },
      websocket: { stage: "live", routes: { $connect: "talk", sendMessage: "talk" } },
    }),
  );
  const may = (fn: string, action: string, resource: string) => {
    const spec = wired.functions[fn];
    assert.ok(spec);
    return policyAllows(functionPolicy(wired, spec), action, resource);
  };
  const queue = (name: string) => `arn:aws:sqs:us-east-1:000000000000:chat-${name}`;
  const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:chat-${name}`;

  test("Lambda may send records to destination queues and the dead-letter queue with the function's role", () => {
    assert.equal(may("worker", "sqs:SendMessage", queue("done")), true);
    assert.equal(may("worker", "sqs:SendMessage", queue("discarded")), true);
    assert.equal(may("worker", "sqs:SendMessage", queue("other")), false);
    assert.equal(may("cleanup", "sqs:SendMessage", queue("failed")), true);
    assert.equal(may("cleanup", "sqs:SendMessage", queue("done")), false);
  });

  test("Lambda may invoke a destination function, and only that one", () => {
    assert.equal(may("worker", "lambda:InvokeFunction", fn("cleanup")), true);
    assert.equal(may("worker", "lambda:InvokeFunction", fn("talk")), false);
    assert.equal(may("idle", "lambda:InvokeFunction", fn("cleanup")), false);
  });

  test("destinations link no discovery variables: Lambda, not the code, sends to them", () => {
    const worker = wired.functions.worker;
    assert.ok(worker);
    const variables = resourceVariables(wired, worker, () => "http://localhost/q");
    assert.deepEqual(Object.keys(variables), []);
  });

  test("a function a WebSocket route invokes may manage that API's connections at its stage", () => {
    const api = localApiId("chat", "websocket");
    const at = (method: string, stage = "live") =>
      `arn:aws:execute-api:us-east-1:000000000000:${api}/${stage}/${method}/@connections/abc=`;
    for (const method of ["POST", "GET", "DELETE"]) {
      assert.equal(may("talk", "execute-api:ManageConnections", at(method)), true, method);
    }
    assert.equal(may("talk", "execute-api:ManageConnections", at("POST", "prod")), false, "another stage");
    assert.equal(may("talk", "execute-api:Invoke", at("POST")), false, "only ManageConnections");
    assert.equal(may("idle", "execute-api:ManageConnections", at("POST")), false, "not wired");
  });

  test("the local WebSocket server uses the API id the grants name", () => {
    assert.equal(apiId("chat", "websocket"), localApiId("chat", "websocket"));
    assert.match(localApiId("chat", "websocket"), /^[a-z0-9]{10}$/);
    assert.notEqual(localApiId("chat", "websocket"), localApiId("chat", "http"));
  });
});
