/**
 * An app with Step Functions state machines, deployed through the real CLI to a real `sluice
 * cloud`: the stack creates each machine with its role (and a log group for the EXPRESS one), the
 * region's cloud runs the deployed definition (DefinitionSubstitutions applied, so its tasks name
 * the deployed function and queue by ARN and URL), an execution started with @aws-sdk/client-sfn
 * against the cloud's endpoint succeeds, and a definition change deploys as an in-place update.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from "@aws-sdk/client-sfn";
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ROOT } from "../support/cli-process.ts";
import {
  HEALTH_CHECKER_ID,
  type LocalCloud,
  regionResults,
  run,
  startCloud,
  useLocalCredentials,
} from "../support/deploy.ts";
import { eventually } from "../support/poll.ts";
import { copyApp, type TempDir } from "../support/temp.ts";

useLocalCredentials();
const REGION = "us-east-1";
const DOUBLE = "flows-dev-double";

describe("deploying state machines to the local cloud", () => {
  let cloud: LocalCloud;
  let app: TempDir;
  let state: string;
  let sfn: SFNClient;
  let sqs: SQSClient;
  let machineArn = "";
  const at = (...args: string[]) => [...args, "--endpoint-url", cloud.url];
  const deploy = (...args: string[]) =>
    run(at("deploy", app.dir, "--region", REGION, "--health-checker-id", HEALTH_CHECKER_ID, ...args));

  before(async () => {
    state = mkdtempSync(join(tmpdir(), "sluice-cloud-sfn-"));
    cloud = await startCloud(state);
    app = copyApp(join(ROOT, "test", "fixtures", "apps", "state-machines-deploy"));
    // StartSyncExecution's endpoint has the host prefix `sync-`, which a local endpoint cannot take.
    sfn = new SFNClient({ region: REGION, endpoint: cloud.url, disableHostPrefix: true });
    sqs = new SQSClient({ region: REGION, endpoint: cloud.url });
    const bootstrap = await run(at("bootstrap", "--region", REGION));
    assert.equal(bootstrap.code, 0, bootstrap.stderr);
  });
  after(async () => {
    sfn?.destroy();
    sqs?.destroy();
    await cloud?.stop();
    app?.cleanup();
    if (state) rmSync(state, { recursive: true, force: true });
  });

  test("deploys each machine with its ARN as an output", async () => {
    const result = await deploy("--json");
    assert.equal(result.code, 0, `${result.stderr}\n${cloud.lines.join("\n")}`);
    const [region] = regionResults(result.stdout);
    assert.equal(region?.finalStatus, "CREATE_COMPLETE");
    machineArn = region?.outputs.DoubleStateMachineArn ?? "";
    assert.match(machineArn, new RegExp(`^arn:aws:states:${REGION}:\\d{12}:stateMachine:${DOUBLE}$`));
    assert.match(region?.outputs.EchoStateMachineArn ?? "", /:stateMachine:flows-dev-echo$/);
  });

  test("the region runs the deployed definition, its Sluice names replaced by the deployed resources", async () => {
    const described = await eventually(
      async () =>
        await sfn
          .send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }))
          .catch(() => undefined),
      "the deployed machine in the region's cloud",
    );
    assert.equal(described.name, DOUBLE);
    assert.equal(described.type, "STANDARD");
    const definition = JSON.parse(String(described.definition));
    assert.match(definition.States.Double.Parameters.FunctionName, /:function:flows-dev-doubler$/);
    assert.match(definition.States.Report.Parameters.QueueUrl, /\/flows-dev-results$/);
  });

  test("an execution started with @aws-sdk/client-sfn succeeds: the function ran and the queue got its result", async () => {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn,
        name: "first",
        input: JSON.stringify({ n: 21 }),
      }),
    );
    assert.match(String(started.executionArn), /:execution:flows-dev-double:first$/);
    const done = await eventually(async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      return execution.status === "RUNNING" ? undefined : execution;
    }, "the execution to finish");
    assert.equal(done.status, "SUCCEEDED", `${done.error}: ${done.cause}`);
    assert.deepEqual(JSON.parse(String(done.output)), { doubled: 42 });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "flows-dev-results" }));
    const received = await eventually(async () => {
      const batch = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      return batch.Messages?.[0];
    }, "the machine's message");
    assert.deepEqual(JSON.parse(String(received.Body)), { doubled: 42 });
  });

  test("the EXPRESS machine answers StartSyncExecution", async () => {
    const echo = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: machineArn.replace(/double$/, "echo"),
        input: JSON.stringify({ hello: "cloud" }),
      }),
    );
    assert.equal(echo.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(String(echo.output)), { hello: "cloud" });
  });

  test("a definition change deploys as an update in place, and the region runs the new definition", async () => {
    const file = join(app.dir, "src", "double.asl.json");
    const document = JSON.parse(readFileSync(file, "utf8"));
    document.States.Double.ResultSelector = { "doubled.$": "$.Payload.doubled", version: 2 };
    writeFileSync(file, JSON.stringify(document, null, 2));
    const result = await deploy("--json");
    assert.equal(result.code, 0, `${result.stderr}\n${cloud.lines.join("\n")}`);
    const [region] = regionResults(result.stdout);
    assert.equal(region?.finalStatus, "UPDATE_COMPLETE");
    const changes = region?.changes;
    assert.deepEqual(
      changes?.modified.map((c) => [c.logicalId, c.properties]),
      [["DoubleStateMachine", ["Definition"]]],
    );
    assert.deepEqual(changes?.replaced, []);
    assert.equal(region?.outputs.DoubleStateMachineArn, machineArn, "the same machine, so the same ARN");
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, input: JSON.stringify({ n: 2 }) }),
    );
    const done = await eventually(async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      return execution.status === "RUNNING" ? undefined : execution;
    }, "the execution on the new definition");
    assert.equal(done.status, "SUCCEEDED", `${done.error}: ${done.cause}`);
    assert.deepEqual(JSON.parse(String(done.output)), { doubled: 4, version: 2 });
  });
});
