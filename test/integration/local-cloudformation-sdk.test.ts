import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  ValidateTemplateCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import { handleCloudFormationQuery } from "../../src/local/cloudformation/wire/cloudformation-query.ts";
import { signedBy } from "../../src/local/endpoint/sigv4-identity.ts";
import { body, type Harness, harness, thing } from "../support/cloudformation-rig.ts";

const REGION = "eu-central-1";
const WAIT = { minDelay: 1, maxDelay: 1, maxWaitTime: 30 };

describe("local CloudFormation through @aws-sdk/client-cloudformation", () => {
  let h: Harness;
  let server: Server;
  let client: CloudFormationClient;
  let requests = 0;
  let endpoint = "";

  before(async () => {
    h = harness();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const params = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        const region = signedBy(req.headers)?.region ?? "us-east-1";
        void handleCloudFormationQuery(h.service, params, { region, requestId: `req-${++requests}` }, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    endpoint = `http://127.0.0.1:${port}`;
    client = new CloudFormationClient({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "secret" },
    });
  });

  after(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.service.idle();
    h.cleanup();
  });

  const v1 = body(
    {
      Queue: thing({ Name: { "Fn::Sub": "#{AWS::StackName}-queue".replace("#{", "${") }, Value: "30" }),
      Worker: thing({ Value: { "Fn::GetAtt": ["Queue", "Arn"] }, Secret: { Ref: "Token" } }),
    },
    {
      Parameters: { Token: { Type: "String", NoEcho: true } },
      Outputs: { QueueArn: { Value: { "Fn::GetAtt": ["Queue", "Arn"] }, Description: "the queue" } },
    },
  );

  test("runs the deploy cycle: change set, execute, events, update, no-change, delete", async () => {
    const created = await client.send(
      new CreateChangeSetCommand({
        StackName: "shop",
        ChangeSetName: "deploy-1",
        ChangeSetType: "CREATE",
        TemplateBody: v1,
        Parameters: [{ ParameterKey: "Token", ParameterValue: "s3cret" }],
        Capabilities: ["CAPABILITY_IAM"],
        Tags: [{ Key: "app", Value: "shop" }],
        Description: "first deploy",
      }),
    );
    assert.match(created.Id ?? "", /^arn:aws:cloudformation:eu-central-1:123456789012:changeSet\/deploy-1\//);
    assert.match(created.StackId ?? "", /^arn:aws:cloudformation:eu-central-1:123456789012:stack\/shop\//);
    await waitUntilChangeSetCreateComplete({ client, ...WAIT }, { ChangeSetName: created.Id });
    const described = await client.send(
      new DescribeChangeSetCommand({ ChangeSetName: "deploy-1", StackName: "shop" }),
    );
    assert.equal(described.Status, "CREATE_COMPLETE");
    assert.equal(described.ExecutionStatus, "AVAILABLE");
    assert.equal(described.Description, "first deploy");
    assert.deepEqual(described.Parameters, [{ ParameterKey: "Token", ParameterValue: "****" }]);
    assert.deepEqual(described.Tags, [{ Key: "app", Value: "shop" }]);
    assert.deepEqual(
      described.Changes?.map((c) => [c.Type, c.ResourceChange?.Action, c.ResourceChange?.LogicalResourceId]),
      [
        ["Resource", "Add", "Queue"],
        ["Resource", "Add", "Worker"],
      ],
    );

    await client.send(
      new ExecuteChangeSetCommand({ ChangeSetName: created.Id, ClientRequestToken: "tok-1" }),
    );
    await waitUntilStackCreateComplete({ client, ...WAIT }, { StackName: "shop" });
    const [stack] = (await client.send(new DescribeStacksCommand({ StackName: "shop" }))).Stacks ?? [];
    assert.equal(stack?.StackStatus, "CREATE_COMPLETE");
    assert.equal(stack?.StackId, created.StackId);
    assert.ok(stack?.CreationTime instanceof Date);
    assert.deepEqual(stack?.Outputs, [
      { OutputKey: "QueueArn", OutputValue: "arn:test:eu-central-1:shop-queue-1", Description: "the queue" },
    ]);
    assert.deepEqual(stack?.Parameters, [{ ParameterKey: "Token", ParameterValue: "****" }]);
    assert.equal(h.world.calls[1]?.properties?.Secret, "s3cret");

    const events =
      (await client.send(new DescribeStackEventsCommand({ StackName: "shop" }))).StackEvents ?? [];
    assert.deepEqual(
      events.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`),
      [
        "shop CREATE_COMPLETE",
        "Worker CREATE_COMPLETE",
        "Worker CREATE_IN_PROGRESS",
        "Queue CREATE_COMPLETE",
        "Queue CREATE_IN_PROGRESS",
        "shop CREATE_IN_PROGRESS",
        "shop REVIEW_IN_PROGRESS",
      ],
    );
    assert.equal(events[0]?.ClientRequestToken, "tok-1");
    assert.equal(events[0]?.ResourceType, "AWS::CloudFormation::Stack");
    assert.equal(events[1]?.PhysicalResourceId, "Worker-2");
    assert.ok(events[0]?.Timestamp instanceof Date);

    const resources = (await client.send(new ListStackResourcesCommand({ StackName: "shop" })))
      .StackResourceSummaries;
    assert.deepEqual(
      resources?.map((r) => [r.LogicalResourceId, r.PhysicalResourceId, r.ResourceStatus]),
      [
        ["Queue", "shop-queue-1", "CREATE_COMPLETE"],
        ["Worker", "Worker-2", "CREATE_COMPLETE"],
      ],
    );
    const template = await client.send(new GetTemplateCommand({ StackName: "shop" }));
    assert.equal(template.TemplateBody, v1);

    const v2 = v1.replace('"Value":"30"', '"Value":"60"');
    const update = await client.send(
      new CreateChangeSetCommand({
        StackName: "shop",
        ChangeSetName: "deploy-2",
        TemplateBody: v2,
        Parameters: [{ ParameterKey: "Token", UsePreviousValue: true }],
      }),
    );
    await waitUntilChangeSetCreateComplete({ client, ...WAIT }, { ChangeSetName: update.Id });
    const diff = await client.send(new DescribeChangeSetCommand({ ChangeSetName: update.Id }));
    assert.deepEqual(
      diff.Changes?.map((c) => c.ResourceChange),
      [
        {
          Action: "Modify",
          LogicalResourceId: "Queue",
          PhysicalResourceId: "shop-queue-1",
          ResourceType: "Test::Local::Thing",
          Replacement: "False",
          Scope: ["Properties"],
          Details: [
            {
              Target: { Attribute: "Properties", Name: "Value", RequiresRecreation: "Never" },
              Evaluation: "Static",
              ChangeSource: "DirectModification",
            },
          ],
        },
      ],
    );
    await client.send(new ExecuteChangeSetCommand({ ChangeSetName: update.Id }));
    await waitUntilStackUpdateComplete({ client, ...WAIT }, { StackName: "shop" });

    const again = await client.send(
      new CreateChangeSetCommand({
        StackName: "shop",
        ChangeSetName: "deploy-3",
        UsePreviousTemplate: true,
        Parameters: [{ ParameterKey: "Token", UsePreviousValue: true }],
      }),
    );
    await assert.rejects(waitUntilChangeSetCreateComplete({ client, ...WAIT }, { ChangeSetName: again.Id }));
    const none = await client.send(new DescribeChangeSetCommand({ ChangeSetName: again.Id }));
    assert.equal(none.Status, "FAILED");
    assert.equal(
      none.StatusReason,
      "The submitted information didn't contain changes. Submit different information to create a change set.",
    );

    await client.send(new DeleteStackCommand({ StackName: "shop" }));
    await waitUntilStackDeleteComplete({ client, ...WAIT }, { StackName: "shop" });
    assert.equal(h.world.live.size, 0);
    const gone = (await client.send(new DescribeStacksCommand({ StackName: created.StackId }))).Stacks?.[0];
    assert.equal(gone?.StackStatus, "DELETE_COMPLETE");
    assert.ok(gone?.DeletionTime instanceof Date);
  });

  test("answers errors in AWS's shape with AWS's codes", async () => {
    await assert.rejects(client.send(new DescribeStacksCommand({ StackName: "missing" })), (error: Error) => {
      assert.equal(error.name, "ValidationError");
      assert.equal(error.message, "Stack with id missing does not exist");
      assert.equal((error as { $fault?: string }).$fault, "client");
      return true;
    });
    await assert.rejects(
      client.send(
        new CreateChangeSetCommand({
          StackName: "iam",
          ChangeSetName: "c",
          ChangeSetType: "CREATE",
          TemplateBody: body({ R: { Type: "AWS::IAM::Role" } }),
        }),
      ),
      { name: "InsufficientCapabilitiesException", message: "Requires capabilities : [CAPABILITY_IAM]" },
    );
    await assert.rejects(
      client.send(new DescribeChangeSetCommand({ ChangeSetName: "nope", StackName: "missing" })),
      {
        name: "ChangeSetNotFoundException",
      },
    );
    await client.send(new DeleteStackCommand({ StackName: "never-existed" }));
  });

  test("keeps stacks per region (the SigV4 scope's)", async () => {
    const other = new CloudFormationClient({
      region: "ap-south-1",
      endpoint,
      credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "secret" },
    });
    try {
      const created = await other.send(
        new CreateChangeSetCommand({
          StackName: "regional",
          ChangeSetName: "c",
          ChangeSetType: "CREATE",
          TemplateBody: body({ A: thing({}) }),
        }),
      );
      assert.match(created.StackId ?? "", /:ap-south-1:/);
      const here = (await client.send(new DescribeStacksCommand({}))).Stacks ?? [];
      assert.ok(!here.some((s) => s.StackName === "regional"));
      const there = (await other.send(new DescribeStacksCommand({}))).Stacks ?? [];
      assert.deepEqual(
        there.map((s) => [s.StackName, s.StackStatus]),
        [["regional", "REVIEW_IN_PROGRESS"]],
      );
      const validated = await other.send(
        new ValidateTemplateCommand({ TemplateBody: body({ A: thing({}) }, { Description: "d" }) }),
      );
      assert.equal(validated.Description, "d");
    } finally {
      other.destroy();
    }
  });
});
