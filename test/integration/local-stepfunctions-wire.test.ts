/**
 * Step Functions' AWS JSON 1.0 protocol on the local endpoint (127.0.0.1), driven by
 * @aws-sdk/client-sfn, raw signed requests and Debian's `aws stepfunctions`. First over an
 * in-memory StepFunctionsApi (test/support/sfn-fake-api.ts), so the wire is tested alone: every
 * operation, AWS's error codes and statuses, epoch-second timestamps, paging, unsigned calls
 * refused, hostile JSON keys inert, and IAM of functions' calls under `--iam enforce`. Then on a
 * real `sluice dev` (the `executions` fixture app), served by the engine.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DevSession } from "../../src/dev/dev-session.ts";
import { createAwsHandler } from "../../src/local/endpoint/aws-endpoint.ts";
import { type EndpointServer, startEndpoint } from "../../src/local/endpoint/endpoint-server.ts";
import type { LocalCloud } from "../../src/local/local-cloud.ts";
import { directOperations } from "../../src/local/operations.ts";
import { stateMachineArn } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { awsCli } from "../support/aws-cli.ts";
import { ROOT } from "../support/cli-process.ts";
import { clientConfig, rejection, statusOf } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { signedHeaders } from "../support/request-signing.ts";
import { fakeStepFunctions } from "../support/sfn-fake-api.ts";
import { copyApp, type TempDir } from "../support/temp.ts";

const SUCCEED = { StartAt: "Done", States: { Done: { Type: "Succeed" } } };
const spec = normaliseApp({
  name: "wire",
  functions: {
    caller: {
      handler: "src/caller.handler",
      permissions: [
        {
          actions: ["states:StartExecution", "states:SendTaskSuccess"],
          resources: ["stateMachine:flow"],
        },
      ],
    },
    stranger: { handler: "src/stranger.handler" },
  },
  stateMachines: { flow: { definition: SUCCEED }, quick: { definition: SUCCEED, type: "EXPRESS" } },
} as never);
const FLOW = stateMachineArn(spec, "flow");
const QUICK = stateMachineArn(spec, "quick");
const KEYS: Record<string, string> = { AKIDCALLER: "wire-caller", AKIDSTRANGER: "wire-stranger" };

let clock = 1_765_000_000_123;
const api = fakeStepFunctions(spec, () => clock);
const cloud = { spec, stepFunctions: api } as unknown as LocalCloud;
let server: EndpointServer;
let sfn: SFNClient;

/** A raw Step Functions call, signed as `accessKeyId` (or unsigned). */
async function raw(
  action: string,
  body: string,
  options: { signed?: boolean; accessKeyId?: string } = {},
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const response = await fetch(server.url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `AWSStepFunctions.${action}`,
      ...(options.signed === false ? {} : signedHeaders("states", "us-east-1", options.accessKeyId)),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown>, text };
}

function clientAs(accessKeyId: string): SFNClient {
  return new SFNClient({
    ...clientConfig(server.url),
    credentials: { accessKeyId, secretAccessKey: "x" },
  });
}

describe("Step Functions on the local endpoint", { timeout: 120_000 }, () => {
  before(async () => {
    let url = "";
    server = await startEndpoint({
      ops: directOperations(() => cloud),
      aws: createAwsHandler({
        cloud: () => cloud,
        endpointUrl: () => url,
        iam: "enforce",
        identify: (key) => KEYS[key],
      }),
    });
    url = server.url;
    sfn = new SFNClient(clientConfig(server.url));
  });
  after(async () => {
    sfn.destroy();
    await server.close();
  });

  test("serves every operation to @aws-sdk/client-sfn, with dates as Date objects", async () => {
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    assert.deepEqual(
      machines.stateMachines?.map((m) => [m.name, m.type, m.creationDate?.getTime()]),
      [
        ["wire-flow", "STANDARD", 1_700_000_000_000],
        ["wire-quick", "EXPRESS", 1_700_000_000_000],
      ],
    );
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: FLOW }));
    assert.equal(described.status, "ACTIVE");
    assert.deepEqual(JSON.parse(described.definition ?? ""), SUCCEED);
    assert.deepEqual(described.loggingConfiguration, { level: "OFF", includeExecutionData: false });

    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: FLOW, name: "first", input: '{"a":1}' }),
    );
    assert.equal(started.executionArn, "arn:aws:states:us-east-1:000000000000:execution:wire-flow:first");
    assert.equal(started.startDate?.getTime(), clock);
    const running = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(running.status, "RUNNING");
    assert.equal(running.input, '{"a":1}');
    assert.equal(running.stopDate, undefined);

    clock += 1000;
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: "token-first" }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: "token-first", output: '{"done":true}' }));
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(done.status, "SUCCEEDED");
    assert.equal(done.output, '{"done":true}');
    assert.equal(done.stopDate?.getTime(), clock);

    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: "second" }));
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: "token-second", error: "Boom", cause: "it broke" }),
    );
    const failed = await sfn.send(new DescribeExecutionCommand({ executionArn: second.executionArn }));
    assert.deepEqual([failed.status, failed.error, failed.cause], ["FAILED", "Boom", "it broke"]);

    const third = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: "third" }));
    clock += 500;
    const stopped = await sfn.send(
      new StopExecutionCommand({ executionArn: third.executionArn, error: "Halt", cause: "by test" }),
    );
    assert.equal(stopped.stopDate?.getTime(), clock);

    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: FLOW }));
    assert.deepEqual(
      listed.executions?.map((e) => [e.name, e.status]),
      [
        ["third", "ABORTED"],
        ["second", "FAILED"],
        ["first", "SUCCEEDED"],
      ],
    );
    const aborted = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: FLOW, statusFilter: "ABORTED" }),
    );
    assert.deepEqual(
      aborted.executions?.map((e) => e.name),
      ["third"],
    );

    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    assert.deepEqual(
      history.events?.map((e) => [e.id, e.previousEventId, e.type]),
      [
        [1, 0, "ExecutionStarted"],
        [2, 1, "TaskStateEntered"],
        [3, 2, "ExecutionSucceeded"],
      ],
    );
    assert.equal(history.events?.[0]?.timestamp?.getTime(), started.startDate?.getTime());
    assert.equal(history.events?.[1]?.stateEnteredEventDetails?.name, "WaitForCallback");
    assert.equal(history.events?.[2]?.executionSucceededEventDetails?.output, '{"done":true}');
  });

  test("writes timestamps as epoch seconds with a fraction, as the JSON protocol does", async () => {
    clock = 1_765_000_100_123;
    const started = await raw("StartExecution", JSON.stringify({ stateMachineArn: FLOW, name: "stamps" }));
    assert.equal(started.status, 200);
    assert.equal(started.json.startDate, 1_765_000_100.123);
    assert.match(started.text, /"startDate":1765000100\.123/);
  });

  test("pages ListExecutions and ListStateMachines with nextToken", async () => {
    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: FLOW, maxResults: 2 }));
    assert.equal(first.executions?.length, 2);
    assert.ok(first.nextToken);
    const rest = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: FLOW, maxResults: 2, nextToken: first.nextToken }),
    );
    assert.ok((rest.executions?.length ?? 0) >= 1);
    const machines = await sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
    assert.deepEqual(
      machines.stateMachines?.map((m) => m.name),
      ["wire-flow"],
    );
    const more = await sfn.send(
      new ListStateMachinesCommand({ maxResults: 1, nextToken: machines.nextToken }),
    );
    assert.deepEqual(
      more.stateMachines?.map((m) => m.name),
      ["wire-quick"],
    );
    assert.equal(more.nextToken, undefined);
    const bad = await rejection(sfn.send(new ListStateMachinesCommand({ nextToken: "forged" })));
    assert.equal(bad.name, "InvalidToken");
  });

  test("StartSyncExecution answers for EXPRESS and refuses STANDARD (client with disableHostPrefix)", async () => {
    // The SDK sends StartSyncExecution to `sync-<endpoint host>`; against a local endpoint the
    // client needs disableHostPrefix (docs: README, `sluice dev`'s endpoint).
    const sync = new SFNClient({ ...clientConfig(server.url), disableHostPrefix: true });
    try {
      const result = await sync.send(
        new StartSyncExecutionCommand({ stateMachineArn: QUICK, input: '{"x":2}', name: "s1" }),
      );
      assert.equal(result.status, "SUCCEEDED");
      assert.equal(result.output, '{"x":2}');
      assert.match(result.executionArn ?? "", /:express:wire-quick:s1:1$/);
      assert.deepEqual(result.billingDetails, {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: 100,
      });
      const standard = await rejection(sync.send(new StartSyncExecutionCommand({ stateMachineArn: FLOW })));
      assert.equal(standard.name, "StateMachineTypeNotSupported");
      assert.equal(statusOf(standard), 400);
    } finally {
      sync.destroy();
    }
    const prefixed = await rejection(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: QUICK })));
    assert.match(String(prefixed.message), /sync-127\.0\.0\.1|ENOTFOUND|getaddrinfo/);
  });

  test("answers AWS's error codes with status 400 and no stack traces", async () => {
    const cases: [Promise<unknown>, string][] = [
      [sfn.send(new DescribeExecutionCommand({ executionArn: "nonsense" })), "InvalidArn"],
      [sfn.send(new DescribeExecutionCommand({ executionArn: FLOW })), "InvalidArn"],
      [
        sfn.send(
          new DescribeExecutionCommand({ executionArn: `${FLOW.replace("stateMachine", "execution")}:nope` }),
        ),
        "ExecutionDoesNotExist",
      ],
      [sfn.send(new StartExecutionCommand({ stateMachineArn: `${FLOW}-gone` })), "StateMachineDoesNotExist"],
      [
        sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: "first" })),
        "ExecutionAlreadyExists",
      ],
      [
        sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, input: "{not json" })),
        "InvalidExecutionInput",
      ],
      [
        sfn.send(
          new StartExecutionCommand({ stateMachineArn: FLOW, input: JSON.stringify("x".repeat(262_200)) }),
        ),
        "ValidationException",
      ],
      [sfn.send(new SendTaskSuccessCommand({ taskToken: "token-first", output: "{}" })), "TaskDoesNotExist"],
      [sfn.send(new SendTaskSuccessCommand({ taskToken: "garbage", output: "{}" })), "InvalidToken"],
      [sfn.send(new SendTaskSuccessCommand({ taskToken: "token-x", output: "nope" })), "InvalidOutput"],
      [
        sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: "n".repeat(81) })),
        "ValidationException",
      ],
      [
        sfn.send(
          new DescribeExecutionCommand({
            executionArn: "arn:aws:states:eu-west-1:000000000000:execution:wire-flow:first",
          }),
        ),
        "ExecutionDoesNotExist",
      ],
    ];
    for (const [call, code] of cases) {
      const error = await rejection(call);
      assert.equal(error.name, code, String(error.message));
      assert.equal(statusOf(error), 400, code);
      assert.doesNotMatch(String(error.message), /\bat .*\.ts:\d+/);
    }
    const missing = await raw("StartExecution", "{}");
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json, {
      __type: "ValidationException",
      message:
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    });
    // Too large a payload is a constraint of the member, answered before the JSON is read; a
    // sensitive member's value (input, output, error, cause) is never quoted back.
    const large = await raw(
      "StartExecution",
      JSON.stringify({ stateMachineArn: FLOW, input: `"${"\u00e9".repeat(131_072)}"` }),
    );
    assert.deepEqual(large.json, {
      __type: "ValidationException",
      message:
        "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding",
    });
    const output = await raw(
      "SendTaskSuccess",
      JSON.stringify({ taskToken: "token-x", output: JSON.stringify("x".repeat(262_200)) }),
    );
    assert.deepEqual(output.json, {
      __type: "ValidationException",
      message:
        "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding",
    });
    const cause = await raw(
      "SendTaskFailure",
      JSON.stringify({ taskToken: "token-x", error: "e".repeat(257), cause: "secret ".repeat(5000) }),
    );
    assert.deepEqual(cause.json, {
      __type: "ValidationException",
      message:
        "2 validation errors detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256; " +
        "Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768",
    });
    const prefix = await raw("DescribeExecution", JSON.stringify({ executionArn: "not-an-arn" }));
    assert.deepEqual(prefix.json, {
      __type: "InvalidArn",
      message: "Invalid Arn: 'Invalid ARN prefix: not-an-arn'",
    });
    const two = await raw("ListExecutions", JSON.stringify({ maxResults: 5000 }));
    assert.match(
      String(two.json.message),
      /^2 validation errors detected: .*maxResults.*less than or equal to 1000/,
    );
    const typed = await raw("StartExecution", JSON.stringify({ stateMachineArn: 5 }));
    assert.deepEqual([typed.status, typed.json.__type], [400, "SerializationException"]);
    const unknownOp = await raw("CreateStateMachine", "{}");
    assert.deepEqual([unknownOp.status, unknownOp.json.__type], [400, "UnknownOperationException"]);
  });

  test("refuses unsigned calls before the service sees them", async () => {
    const before = api.calls.length;
    const unsigned = await raw("StartExecution", JSON.stringify({ stateMachineArn: FLOW }), {
      signed: false,
    });
    assert.ok(unsigned.status === 400 || unsigned.status === 403, unsigned.text);
    assert.equal(api.calls.length, before);
  });

  test("keeps __proto__ and constructor keys in request bodies inert", async () => {
    const hostile = await raw(
      "StartExecution",
      `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"stateMachineArn":"${FLOW}","name":"hostile","input":"{\\"__proto__\\":{\\"x\\":1}}"}`,
    );
    assert.equal(hostile.status, 200, hostile.text);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const proto = await raw("__proto__", "{}");
    assert.deepEqual([proto.status, proto.json.__type], [400, "UnknownOperationException"]);
    const ctor = await raw("constructor", "{}");
    assert.deepEqual([ctor.status, ctor.json.__type], [400, "UnknownOperationException"]);
    const described = await raw(
      "DescribeExecution",
      JSON.stringify({ executionArn: String(hostile.json.executionArn) }),
    );
    assert.equal(described.json.input, '{"__proto__":{"x":1}}');
  });

  test("IAM enforce: a function with the grant starts executions and completes tasks; one without gets AccessDeniedException", async () => {
    const caller = clientAs("AKIDCALLER");
    const stranger = clientAs("AKIDSTRANGER");
    try {
      const started = await caller.send(
        new StartExecutionCommand({ stateMachineArn: FLOW, name: "granted" }),
      );
      assert.ok(started.executionArn);
      await caller.send(new SendTaskSuccessCommand({ taskToken: "token-granted", output: "{}" }));

      await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: "guarded" }));
      const denied = await rejection(stranger.send(new StartExecutionCommand({ stateMachineArn: FLOW })));
      assert.equal(denied.name, "AccessDeniedException");
      assert.equal(statusOf(denied), 403);
      assert.match(
        String(denied.message),
        new RegExp(
          `^User: arn:aws:sts::000000000000:assumed-role/wire-stranger-role/wire-stranger is not authorized to perform: states:StartExecution on resource: ${FLOW} because no identity-based policy allows the states:StartExecution action`,
        ),
      );
      assert.match(
        String(denied.message),
        /resources: \["stateMachine:flow"\] \} to functions\.stranger\.permissions/,
      );
      const deniedTask = await rejection(
        stranger.send(new SendTaskSuccessCommand({ taskToken: "token-guarded", output: "{}" })),
      );
      assert.equal(deniedTask.name, "AccessDeniedException");
      // IAM is evaluated before the service reads the input or the output.
      const deniedBadInput = await rejection(
        stranger.send(new StartExecutionCommand({ stateMachineArn: FLOW, input: "{not json" })),
      );
      assert.equal(deniedBadInput.name, "AccessDeniedException");
      const deniedBadOutput = await rejection(
        stranger.send(new SendTaskSuccessCommand({ taskToken: "token-guarded", output: "nope" })),
      );
      assert.equal(deniedBadOutput.name, "AccessDeniedException");
      // SendTask* are checked on the state machine whose execution issued the token.
      assert.match(
        String(deniedTask.message),
        new RegExp(`states:SendTaskSuccess on resource: ${FLOW} because`),
      );
      const other = await rejection(caller.send(new StartExecutionCommand({ stateMachineArn: QUICK })));
      assert.equal(other.name, "AccessDeniedException");
    } finally {
      caller.destroy();
      stranger.destroy();
    }
  });

  test("aws stepfunctions: start-execution, describe-execution, list-executions, get-execution-history, send-task-success", async () => {
    const cli = awsCli(server.url);
    try {
      const start = await cli.run(
        "stepfunctions",
        "start-execution",
        "--state-machine-arn",
        FLOW,
        "--name",
        "from-cli",
        "--input",
        '{"via":"cli"}',
      );
      assert.equal(start.code, 0, start.stderr);
      const { executionArn } = JSON.parse(start.stdout) as { executionArn: string };
      assert.match(executionArn, /:execution:wire-flow:from-cli$/);
      const success = await cli.run(
        "stepfunctions",
        "send-task-success",
        "--task-token",
        "token-from-cli",
        "--task-output",
        '{"ok":1}',
      );
      assert.equal(success.code, 0, success.stderr);
      const describe = await cli.run("stepfunctions", "describe-execution", "--execution-arn", executionArn);
      assert.equal(describe.code, 0, describe.stderr);
      const described = JSON.parse(describe.stdout) as Record<string, unknown>;
      assert.equal(described.status, "SUCCEEDED");
      assert.equal(described.output, '{"ok":1}');
      const list = await cli.run("stepfunctions", "list-executions", "--state-machine-arn", FLOW);
      assert.equal(list.code, 0, list.stderr);
      const names = (JSON.parse(list.stdout) as { executions: { name: string }[] }).executions.map(
        (e) => e.name,
      );
      assert.equal(names[0], "from-cli");
      const history = await cli.run(
        "stepfunctions",
        "get-execution-history",
        "--execution-arn",
        executionArn,
      );
      assert.equal(history.code, 0, history.stderr);
      const events = (JSON.parse(history.stdout) as { events: { type: string }[] }).events.map((e) => e.type);
      assert.deepEqual(events, ["ExecutionStarted", "TaskStateEntered", "ExecutionSucceeded"]);
      const missing = await cli.run(
        "stepfunctions",
        "describe-execution",
        "--execution-arn",
        `${executionArn}-gone`,
      );
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /ExecutionDoesNotExist/);
    } finally {
      cli.cleanup();
    }
  });
});

describe("Step Functions on sluice dev's endpoint, served by the engine", { timeout: 120_000 }, () => {
  const MACHINES = "arn:aws:states:us-east-1:000000000000:stateMachine:executions";
  let copy: TempDir;
  let session: DevSession;
  let client: SFNClient;
  let sqs: SQSClient;
  before(async () => {
    copy = copyApp(join(ROOT, "test", "fixtures", "apps", "executions"));
    session = await DevSession.start({ dir: copy.dir, watch: false });
    client = new SFNClient(clientConfig(session.url));
    sqs = new SQSClient(clientConfig(session.url));
  });
  after(async () => {
    client.destroy();
    sqs.destroy();
    await session.close();
    copy.cleanup();
  });

  test("runs, describes, lists, stops and pages through executions with AWS's errors", async () => {
    const machines = await client.send(new ListStateMachinesCommand({}));
    assert.deepEqual(machines.stateMachines?.map((m) => m.name).sort(), [
      "executions-callback",
      "executions-quick",
      "executions-review",
    ]);
    const review = `${MACHINES}-review`;
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: review, name: "one", input: '{"ok":true}' }),
    );
    assert.ok(started.startDate instanceof Date);
    const again = await rejection(
      client.send(new StartExecutionCommand({ stateMachineArn: review, name: "one", input: '{"ok":false}' })),
    );
    assert.equal(again.name, "ExecutionAlreadyExists");
    const running = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(running.status, "RUNNING");
    await client.send(new StartExecutionCommand({ stateMachineArn: review, name: "two" }));
    const stopped = await client.send(
      new StopExecutionCommand({ executionArn: started.executionArn, error: "Halt", cause: "test" }),
    );
    assert.ok(stopped.stopDate instanceof Date);
    const page = await client.send(new ListExecutionsCommand({ stateMachineArn: review, maxResults: 1 }));
    assert.deepEqual(
      page.executions?.map((e) => e.name),
      ["two"],
    );
    const next = await client.send(
      new ListExecutionsCommand({ stateMachineArn: review, maxResults: 1, nextToken: page.nextToken }),
    );
    assert.deepEqual(
      next.executions?.map((e) => [e.name, e.status]),
      [["one", "ABORTED"]],
    );
    const history = await client.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    assert.equal(history.events?.[0]?.type, "ExecutionStarted");
    assert.equal(history.events?.at(-1)?.type, "ExecutionAborted");

    const sync = new SFNClient({ ...clientConfig(session.url), disableHostPrefix: true });
    try {
      const quick = await sync.send(
        new StartSyncExecutionCommand({ stateMachineArn: `${MACHINES}-quick`, input: '{"q":1}' }),
      );
      assert.deepEqual([quick.status, quick.output], ["SUCCEEDED", '{"q":1}']);
      const standard = await rejection(sync.send(new StartSyncExecutionCommand({ stateMachineArn: review })));
      assert.equal(standard.name, "StateMachineTypeNotSupported");
    } finally {
      sync.destroy();
    }
    for (const [call, code] of [
      [
        client.send(new DescribeExecutionCommand({ executionArn: `${started.executionArn}-gone` })),
        "ExecutionDoesNotExist",
      ],
      [
        client.send(new StartExecutionCommand({ stateMachineArn: `${MACHINES}-gone` })),
        "StateMachineDoesNotExist",
      ],
      [client.send(new SendTaskSuccessCommand({ taskToken: "never-issued", output: "{}" })), "InvalidToken"],
    ] as const) {
      const error = await rejection(call);
      assert.equal(error.name, code, String(error.message));
      assert.equal(statusOf(error), 400);
    }
  });

  test("completes a waiting task with SendTaskSuccess from the SDK and from `aws stepfunctions`", async () => {
    const callback = `${MACHINES}-callback`;
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "executions-tasks" }));
    const tokenOf = async () => {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
      const body = received.Messages?.[0]?.Body;
      assert.ok(body, "the task's message");
      return (JSON.parse(body) as { token: string }).token;
    };
    const first = await client.send(new StartExecutionCommand({ stateMachineArn: callback, name: "sdk" }));
    const sdkToken = await tokenOf();
    await client.send(new SendTaskHeartbeatCommand({ taskToken: sdkToken }));
    await client.send(new SendTaskSuccessCommand({ taskToken: sdkToken, output: '{"answer":42}' }));
    const done = await eventually(async () => {
      const d = await client.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
      return d.status === "RUNNING" ? undefined : d;
    }, "the callback execution to finish");
    assert.deepEqual([done.status, done.output], ["SUCCEEDED", '{"answer":42}']);
    const late = await rejection(
      client.send(new SendTaskSuccessCommand({ taskToken: sdkToken, output: "{}" })),
    );
    assert.equal(late.name, "TaskDoesNotExist");

    const second = await client.send(new StartExecutionCommand({ stateMachineArn: callback, name: "cli" }));
    const cliToken = await tokenOf();
    const cli = awsCli(session.url);
    try {
      const sent = await cli.run(
        "stepfunctions",
        "send-task-failure",
        "--task-token",
        cliToken,
        "--error",
        "Nope",
        "--cause",
        "from the CLI",
      );
      assert.equal(sent.code, 0, sent.stderr);
      const described = await cli.run(
        "stepfunctions",
        "describe-execution",
        "--execution-arn",
        second.executionArn ?? "",
      );
      assert.equal(described.code, 0, described.stderr);
      const execution = JSON.parse(described.stdout) as Record<string, unknown>;
      assert.deepEqual(
        [execution.status, execution.error, execution.cause],
        ["FAILED", "Nope", "from the CLI"],
      );
    } finally {
      cli.cleanup();
    }
  });
});
