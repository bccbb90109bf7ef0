import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { synthesize } from "../../src/aws/synth.ts";
import type { Template, TemplateValue } from "../../src/aws/template/template.ts";
import type { SluiceError } from "../../src/model/errors.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

type Definition = Parameters<typeof normaliseApp>[0];

const BASE = {
  name: "shop",
  defaults: { memorySize: 256, timeout: "20 seconds" },
  queues: {
    orders: { visibilityTimeout: "2 minutes", deadLetter: { maxReceiveCount: 4 } },
    ledger: { fifo: true, visibilityTimeout: "2 minutes" },
    audit: { retention: "14 days", delay: "5 seconds" },
  },
  functions: {
    take: {
      handler: "src/take.handler",
      consumes: {
        queue: "orders",
        batchSize: 50,
        maximumBatchingWindow: "2 seconds",
        maxConcurrency: 4,
        reportBatchItemFailures: true,
      },
      // "book" consumes the FIFO "ledger": a route there must give a group, which only a function can.
      routes: (_error: Error | null, result: unknown) => [
        { to: "book", data: result, groupId: "orders" },
        { to: "audit", data: result },
      ],
      routesTo: ["book", "audit"],
      environment: { STAGE: "prod" },
      reservedConcurrency: 7,
      description: "takes orders",
    },
    book: { handler: "src/book.handler", consumes: { queue: "ledger", batchSize: 10 } },
    notify: { handler: "src/notify.handler", runtime: "nodejs22.x" },
    audit2: { handler: "src/audit.handler", routes: "notify" },
  },
};

async function synth(definition: Definition = BASE): Promise<Template> {
  return synthesize(normaliseApp(definition, { accountId: "123456789012" }));
}

function resource(
  template: Template,
  id: string,
): { Type: string; Properties: Record<string, TemplateValue> } {
  const found = template.Resources[id];
  assert.ok(found, `resource ${id} exists; have ${Object.keys(template.Resources).join(", ")}`);
  return found as { Type: string; Properties: Record<string, TemplateValue> };
}

function statements(
  template: Template,
  roleId: string,
): { Sid: string; Action: string[]; Resource: TemplateValue[] }[] {
  const policies = resource(template, roleId).Properties.Policies as {
    PolicyDocument: { Statement: { Sid: string; Action: string[]; Resource: TemplateValue[] }[] };
  }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

describe("synth: queues", () => {
  test("writes every queue attribute, the FIFO settings and the redrive policy to its dead-letter queue", async () => {
    const t = await synth();
    assert.deepEqual(resource(t, "OrdersQueue").Properties, {
      QueueName: "shop-orders",
      VisibilityTimeout: 120,
      DelaySeconds: 0,
      MessageRetentionPeriod: 345600,
      MaximumMessageSize: 1048576,
      ReceiveMessageWaitTimeSeconds: 0,
      RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": ["OrdersDlqQueue", "Arn"] }, maxReceiveCount: 4 },
    });
    assert.equal(resource(t, "OrdersDlqQueue").Properties.QueueName, "shop-orders-dlq");
    assert.equal(resource(t, "OrdersDlqQueue").Properties.MessageRetentionPeriod, 1209600);
    assert.equal(resource(t, "LedgerQueue").Properties.QueueName, "shop-ledger.fifo");
    assert.equal(resource(t, "LedgerQueue").Properties.FifoQueue, true);
    assert.equal(resource(t, "LedgerQueue").Properties.ContentBasedDeduplication, false);
    assert.equal(resource(t, "AuditQueue").Properties.DelaySeconds, 5);
    assert.equal(resource(t, "AuditQueue").Properties.FifoQueue, undefined);
  });
});

describe("synth: functions", () => {
  test("takes code from the artifact parameters and writes runtime, memory, timeout, concurrency and architecture", async () => {
    const t = await synth();
    const take = resource(t, "TakeFunction");
    assert.equal(take.Type, "AWS::Lambda::Function");
    assert.deepEqual(take.Properties.Code, {
      S3Bucket: { Ref: "ArtifactBucket" },
      S3Key: { Ref: "TakeCodeKey" },
    });
    assert.equal(take.Properties.FunctionName, "shop-take");
    assert.equal(take.Properties.Handler, "index.handler");
    assert.equal(take.Properties.Runtime, "nodejs24.x");
    assert.equal(take.Properties.MemorySize, 256);
    assert.equal(take.Properties.Timeout, 20);
    assert.equal(take.Properties.ReservedConcurrentExecutions, 7);
    assert.deepEqual(take.Properties.Architectures, ["x86_64"]);
    assert.equal(take.Properties.Description, "takes orders");
    assert.deepEqual(take.Properties.Role, { "Fn::GetAtt": ["TakeRole", "Arn"] });
    assert.equal(resource(t, "NotifyFunction").Properties.Runtime, "nodejs22.x");
    assert.deepEqual(t.Parameters.ArtifactBucket?.Type, "String");
    assert.deepEqual(Object.keys(t.Parameters), [
      "ArtifactBucket",
      "TakeCodeKey",
      "BookCodeKey",
      "NotifyCodeKey",
      "Audit2CodeKey",
    ]);
  });

  test("sets the function's own variables and the discovery variables of what it consumes and routes to", async () => {
    const t = await synth();
    assert.deepEqual(
      (resource(t, "TakeFunction").Properties.Environment as { Variables: unknown }).Variables,
      {
        STAGE: "prod",
        SLUICE_QUEUE_ORDERS_URL: { Ref: "OrdersQueue" },
        SLUICE_QUEUE_ORDERS_ARN: { "Fn::GetAtt": ["OrdersQueue", "Arn"] },
        // `book` consumes `ledger`: routing to it sends to that queue.
        SLUICE_QUEUE_LEDGER_URL: { Ref: "LedgerQueue" },
        SLUICE_QUEUE_LEDGER_ARN: { "Fn::GetAtt": ["LedgerQueue", "Arn"] },
        SLUICE_QUEUE_AUDIT_URL: { Ref: "AuditQueue" },
        SLUICE_QUEUE_AUDIT_ARN: { "Fn::GetAtt": ["AuditQueue", "Arn"] },
      },
    );
    assert.deepEqual(
      (resource(t, "Audit2Function").Properties.Environment as { Variables: unknown }).Variables,
      {
        SLUICE_FUNCTION_NOTIFY_NAME: "shop-notify",
        SLUICE_FUNCTION_NOTIFY_ARN: {
          "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:shop-notify`,
        },
      },
    );
    assert.equal(resource(t, "NotifyFunction").Properties.Environment, undefined);
  });

  test("creates each log group with a retention period before its function", async () => {
    const t = await synth();
    assert.deepEqual(resource(t, "TakeLogGroup").Properties, {
      LogGroupName: "/aws/lambda/shop-take",
      RetentionInDays: 30,
    });
    assert.deepEqual(t.Resources.TakeFunction?.DependsOn, ["TakeLogGroup"]);
    const custom = await synthesize(normaliseApp(BASE, {}), { logRetentionDays: 365 });
    assert.equal(resource(custom, "TakeLogGroup").Properties.RetentionInDays, 365);
  });

  test("states Lambda's asynchronous invocation defaults for every function", async () => {
    const t = await synth();
    assert.deepEqual(resource(t, "NotifyEventInvokeConfig").Properties, {
      FunctionName: { Ref: "NotifyFunction" },
      Qualifier: "$LATEST",
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
    });
  });
});

describe("synth: event source mappings", () => {
  test("writes batch size, batching window, maximum concurrency and partial batch responses", async () => {
    const t = await synth();
    assert.deepEqual(resource(t, "TakeEventSourceMapping").Properties, {
      FunctionName: { Ref: "TakeFunction" },
      EventSourceArn: { "Fn::GetAtt": ["OrdersQueue", "Arn"] },
      Enabled: true,
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 2,
      ScalingConfig: { MaximumConcurrency: 4 },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  test("leaves out the batching window on a FIFO queue, where Lambda rejects it", async () => {
    const t = await synth();
    const book = resource(t, "BookEventSourceMapping").Properties;
    assert.equal(book.MaximumBatchingWindowInSeconds, undefined);
    assert.equal(book.ScalingConfig, undefined);
    assert.equal(book.FunctionResponseTypes, undefined);
    assert.equal(t.Resources.NotifyEventSourceMapping, undefined);
  });
});

describe("synth: least-privilege roles", () => {
  test("grants logs on its own group, its queue, and sending or invoking exactly what it routes to", async () => {
    const t = await synth();
    assert.deepEqual(statements(t, "TakeRole"), [
      {
        Sid: "WriteLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [
          {
            "Fn::Sub": `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/shop-take:*`,
          },
        ],
      },
      {
        Sid: "ConsumeQueue",
        Effect: "Allow",
        Action: [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:ChangeMessageVisibility",
        ],
        Resource: [{ "Fn::GetAtt": ["OrdersQueue", "Arn"] }],
      },
      {
        Sid: "RouteToQueues",
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        Resource: [{ "Fn::GetAtt": ["LedgerQueue", "Arn"] }, { "Fn::GetAtt": ["AuditQueue", "Arn"] }],
      },
    ] as unknown);
    assert.deepEqual(
      statements(t, "Audit2Role").map((s) => [s.Sid, s.Action]),
      [
        ["WriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"]],
        ["RouteToFunctions", ["lambda:InvokeFunction"]],
      ],
    );
    assert.deepEqual(
      statements(t, "NotifyRole").map((s) => s.Sid),
      ["WriteLogs"],
    );
    const trust = resource(t, "NotifyRole").Properties.AssumeRolePolicyDocument as { Statement: unknown[] };
    assert.deepEqual(trust.Statement, [
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  test("a routing function may reach every function and declared queue, so its role allows exactly those", async () => {
    const t = await synth({
      ...BASE,
      functions: { ...BASE.functions, notify: { handler: "src/notify.handler", routes: () => [] } },
    } as Definition);
    const sids = Object.fromEntries(statements(t, "NotifyRole").map((s) => [s.Sid, s.Resource]));
    assert.deepEqual(sids.RouteToQueues, [
      { "Fn::GetAtt": ["OrdersQueue", "Arn"] },
      { "Fn::GetAtt": ["LedgerQueue", "Arn"] },
      { "Fn::GetAtt": ["AuditQueue", "Arn"] },
    ]);
    assert.equal(
      (sids.RouteToFunctions as unknown[]).length,
      4,
      "notify and audit2 (no queue), with qualified ARNs",
    );
  });

  test("refuses a declared wildcard action or a wildcard resource AWS lets you narrow", async () => {
    const definition = {
      ...BASE,
      functions: {
        ...BASE.functions,
        notify: {
          handler: "src/notify.handler",
          permissions: [
            { actions: ["sqs:*"], resources: ["queue:audit"] },
            { actions: ["sqs:SendMessage"], resources: ["*"] },
            { actions: ["sqs:ListQueues"], resources: ["*"] },
          ],
        },
      },
    } as Definition;
    await assert.rejects(synth(definition), (error: SluiceError) => {
      assert.equal(error.code, "SLUICE_SYNTH");
      assert.match(error.message, /NotifyRole Policies\[0\] Statement\[1\]: action "sqs:\*" is a wildcard/);
      assert.match(error.message, /Statement\[2\]: resource "\*" for sqs:SendMessage/);
      assert.doesNotMatch(error.message, /Statement\[3\]/, "ListQueues has no resource type: * is allowed");
      return true;
    });
  });

  test("turns declared permissions on the app's queues and functions into their ARNs", async () => {
    const t = await synth({
      ...BASE,
      functions: {
        ...BASE.functions,
        notify: {
          handler: "src/notify.handler",
          permissions: [
            { actions: ["sqs:SendMessage"], resources: ["queue:audit"] },
            { actions: ["lambda:GetFunction"], resources: ["function:book"] },
          ],
        },
      },
    } as Definition);
    const declared = statements(t, "NotifyRole").filter((s) => s.Sid.startsWith("Declared"));
    assert.deepEqual(
      declared.map((s) => [s.Sid, s.Action, s.Resource]),
      [
        ["Declared1", ["sqs:SendMessage"], [{ "Fn::GetAtt": ["AuditQueue", "Arn"] }]],
        [
          "Declared2",
          ["lambda:GetFunction"],
          [
            {
              "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:shop-book`,
            },
            {
              "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:shop-book:*`,
            },
          ],
        ],
      ],
    );
  });
});

describe("synth: outputs and logical IDs", () => {
  test("outputs every queue URL and function name", async () => {
    const t = await synth();
    assert.deepEqual(t.Outputs.OrdersDlqQueueUrl?.Value, { Ref: "OrdersDlqQueue" });
    assert.deepEqual(t.Outputs.TakeFunctionName?.Value, { Ref: "TakeFunction" });
    assert.equal(Object.keys(t.Outputs).length, 4 + 4);
  });

  test("renaming one component changes its logical IDs and nothing else", async () => {
    const before = await synth();
    const { notify, audit2, ...others } = BASE.functions;
    const after = await synth({
      ...BASE,
      functions: { ...others, alert: notify, audit2: { ...audit2, routes: "alert" } },
    } as Definition);
    const gone = Object.keys(before.Resources).filter((id) => !(id in after.Resources));
    const added = Object.keys(after.Resources).filter((id) => !(id in before.Resources));
    assert.deepEqual(gone.sort(), [
      "NotifyEventInvokeConfig",
      "NotifyFunction",
      "NotifyLogGroup",
      "NotifyRole",
    ]);
    assert.deepEqual(added.sort(), ["AlertEventInvokeConfig", "AlertFunction", "AlertLogGroup", "AlertRole"]);
    for (const id of Object.keys(before.Resources).filter(
      (id) => id in after.Resources && id !== "Audit2Role" && id !== "Audit2Function",
    )) {
      assert.deepEqual(after.Resources[id], before.Resources[id], `${id} is unchanged`);
    }
  });

  test("adding a component leaves every existing resource as it was", async () => {
    const before = await synth();
    const after = await synth({
      ...BASE,
      queues: { extra: {}, ...BASE.queues },
      functions: { first: { handler: "src/first.handler" }, ...BASE.functions },
    } as Definition);
    for (const [id, value] of Object.entries(before.Resources))
      assert.deepEqual(after.Resources[id], value, id);
  });

  test("refuses two names that would share a logical ID, naming both", async () => {
    await assert.rejects(
      synth({
        name: "x",
        functions: { sendMail: { handler: "a.h" }, "send-mail": { handler: "a.h" } },
      } as Definition),
      /function "send-mail" tried to add logical ID SendMailCodeKey, which function "sendMail" already uses/,
    );
  });

  test("refuses an environment that would exceed Lambda's 4 KB once URLs and ARNs are filled in", async () => {
    const queues = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`queue-number-${i}`, {}]));
    await assert.rejects(
      synth({ name: "big", queues, functions: { hub: { handler: "a.h", routes: () => [] } } } as Definition),
      /function "hub" would have about \d+ bytes of environment variables once deployed .* Lambda allows 4096/,
    );
  });
});
