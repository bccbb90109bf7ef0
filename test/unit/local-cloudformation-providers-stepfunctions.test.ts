// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DefinitionSubstitutions placeholders and Fn::Sub text, CloudFormation's syntax, not templates.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { regionApp } from "../../src/local/cloud-host/region-app.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { type ResourceContext, ResourceFailure } from "../../src/local/cloudformation/resource-provider.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import { deployTemplate } from "../support/cloud-deploy.ts";
import { tempDir } from "../support/temp.ts";

const tmp = tempDir("sluice-providers-sfn-");
after(() => tmp.cleanup());
const clock = new ManualClock(Date.parse("2026-12-06T05:00:00.000Z"));
const db = openStore(join(tmp.dir, "account.sqlite"));
after(() => db.close());
const s3 = new S3Store(db, clock);
const providers = createProviders({
  s3,
  queues: { exists: () => false, delete: () => {} },
  codeDir: join(tmp.dir, "code"),
  allocatePort: async () => 45_678,
  versions: { next: () => 1 },
  random: (length) => "X".repeat(length),
});

const TYPE = "AWS::StepFunctions::StateMachine";
const ROLE = "arn:aws:iam::123456789012:role/shop-query-role";
const ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:shop-query";
const PASS = { StartAt: "Done", States: { Done: { Type: "Pass", End: true } } };

function context(logicalId = "QueryStateMachine"): ResourceContext {
  return {
    region: "eu-west-1",
    accountId: "123456789012",
    partition: "aws",
    stackName: "shop",
    stackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/1",
    logicalId,
    resourceType: TYPE,
    endpointUrl: "http://127.0.0.1:4599",
    clock,
  };
}

function provider() {
  const found = providers(TYPE);
  assert.ok(found, TYPE);
  return found;
}

async function refusal(properties: Record<string, unknown>): Promise<string> {
  try {
    await provider().create(properties, context());
  } catch (error) {
    assert.ok(error instanceof ResourceFailure, String(error));
    return error.message;
  }
  assert.fail("the provider accepted the state machine");
}

describe("AWS::StepFunctions::StateMachine provider", () => {
  test("Ref is the ARN; GetAtt Arn, Name and StateMachineRevisionId; substitutions are applied", async () => {
    const made = await provider().create(
      {
        StateMachineName: "shop-query",
        RoleArn: ROLE,
        Definition: {
          StartAt: "Run",
          States: {
            Run: {
              Type: "Task",
              Resource: "arn:aws:states:::lambda:invoke",
              Parameters: { FunctionName: "${WorkerFunction}", "Payload.$": "$" },
              Next: "Note",
            },
            Note: { Type: "Pass", Result: "${Quoted}", End: true },
          },
        },
        DefinitionSubstitutions: {
          WorkerFunction: "arn:aws:lambda:eu-west-1:123456789012:function:shop-worker",
          Quoted: 'say "hi"',
        },
      },
      context(),
    );
    assert.equal(made.physicalId, ARN);
    assert.equal(made.attributes.Arn, ARN);
    assert.equal(made.attributes.Name, "shop-query");
    assert.match(String(made.attributes.StateMachineRevisionId), /^[0-9a-f-]{36}$/);
    const definition = JSON.parse(String(made.attributes["Sluice::Definition"]));
    assert.equal(
      definition.States.Run.Parameters.FunctionName,
      "arn:aws:lambda:eu-west-1:123456789012:function:shop-worker",
    );
    // In a Definition object a value lands inside a JSON string, escaped.
    assert.equal(definition.States.Note.Result, 'say "hi"');
  });

  test("names a machine without StateMachineName `<logical id>-<random>`, as CloudFormation does", async () => {
    const made = await provider().create({ RoleArn: ROLE, Definition: PASS }, context("FlowStateMachine"));
    assert.equal(made.attributes.Name, "FlowStateMachine-XXXXXXXXXXXX");
  });

  test("takes exactly one of Definition, DefinitionString and DefinitionS3Location", async () => {
    assert.equal(
      await refusal({ RoleArn: ROLE }),
      "Property validation failed. Required key [DefinitionS3Location], [Definition] or [DefinitionString] not found.",
    );
    assert.equal(
      await refusal({ RoleArn: ROLE, Definition: PASS, DefinitionString: JSON.stringify(PASS) }),
      "Property validation failed. Please use either [DefinitionS3Location], [Definition] or [DefinitionString] but not both.",
    );
  });

  test("reads DefinitionS3Location from the account's S3 and substitutes in its text", async () => {
    s3.createBucket("defs", "eu-west-1", "123456789012");
    s3.putObject(
      "defs",
      "query.asl.json",
      Buffer.from(
        JSON.stringify({
          StartAt: "W",
          States: { W: { Type: "Wait", Seconds: "${Delay}", End: true } },
        }).replace('"${Delay}"', "${Delay}"),
      ),
    );
    const made = await provider().create(
      {
        RoleArn: ROLE,
        StateMachineName: "from-s3",
        DefinitionS3Location: { Bucket: "defs", Key: "query.asl.json" },
        DefinitionSubstitutions: { Delay: 5 },
      },
      context(),
    );
    assert.deepEqual(JSON.parse(String(made.attributes["Sluice::Definition"])).States.W.Seconds, 5);
    assert.match(
      await refusal({ RoleArn: ROLE, DefinitionS3Location: { Bucket: "defs", Key: "missing.json" } }),
      /^Error occurred while GetObject\. S3 Error Code: NoSuchKey\./,
    );
  });

  test("reads the object version DefinitionS3Location names, not the bucket's latest", async () => {
    s3.createBucket("versioned-defs", "eu-west-1", "123456789012");
    s3.setBucketProperty("versioned-defs", "VersioningConfiguration", { Status: "Enabled" });
    const first = s3.putObject(
      "versioned-defs",
      "q.json",
      Buffer.from(JSON.stringify({ ...PASS, Comment: "v1" })),
    );
    s3.putObject("versioned-defs", "q.json", Buffer.from(JSON.stringify({ ...PASS, Comment: "v2" })));
    assert.ok(first.versionId);
    const made = await provider().create(
      {
        RoleArn: ROLE,
        StateMachineName: "from-s3-version",
        DefinitionS3Location: { Bucket: "versioned-defs", Key: "q.json", Version: first.versionId },
      },
      context(),
    );
    assert.equal(JSON.parse(String(made.attributes["Sluice::Definition"])).Comment, "v1");
  });

  test("refuses what CreateStateMachine refuses, with Step Functions' error codes", async () => {
    assert.match(
      await refusal({ StateMachineName: "bad name", RoleArn: ROLE, Definition: PASS }),
      /^Invalid Name: 'bad name' \(Service: AWSStepFunctions; Status Code: 400; Error Code: InvalidName;/,
    );
    assert.match(
      await refusal({ StateMachineName: "x".repeat(81), RoleArn: ROLE, Definition: PASS }),
      /Error Code: InvalidName;/,
    );
    assert.match(
      await refusal({ RoleArn: "arn:aws:iam::123456789012:user/u", Definition: PASS }),
      /Error Code: InvalidArn;/,
    );
    assert.match(await refusal({ Definition: PASS }), /required key \[RoleArn\] not found/);
    assert.match(
      await refusal({ RoleArn: ROLE, Definition: PASS, StateMachineType: "FAST" }),
      /#\/StateMachineType: FAST is not a valid enum value/,
    );
    assert.match(
      await refusal({ RoleArn: ROLE, DefinitionString: "{nope" }),
      /Error Code: InvalidDefinition;/,
    );
    assert.match(
      await refusal({
        RoleArn: ROLE,
        Definition: { StartAt: "Gone", States: { Done: { Type: "Succeed" } } },
      }),
      /MISSING_TRANSITION_TARGET.*Error Code: InvalidDefinition;/,
    );
  });

  test("validates the States Language as CreateStateMachine does", async () => {
    assert.match(
      await refusal({
        RoleArn: ROLE,
        Definition: { StartAt: "Run", States: { Run: { Type: "Pass", Next: "Nowhere" } } },
      }),
      /^Invalid State Machine Definition: '.*MISSING_TRANSITION_TARGET.*Nowhere.*Error Code: InvalidDefinition;/,
    );
    assert.match(
      await refusal({
        RoleArn: ROLE,
        Definition: { StartAt: "Run", States: { Run: { Type: "Dance", End: true } } },
      }),
      /SCHEMA_VALIDATION_FAILED.*Error Code: InvalidDefinition;/,
    );
  });

  test("checks the logging configuration: one log group ARN with its `:*`", async () => {
    const group = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/shop-query";
    assert.match(
      await refusal({ RoleArn: ROLE, Definition: PASS, LoggingConfiguration: { Level: "ALL" } }),
      /Must specify exactly one Log Destination.*Error Code: InvalidLoggingConfiguration;/,
    );
    assert.match(
      await refusal({
        RoleArn: ROLE,
        Definition: PASS,
        LoggingConfiguration: {
          Level: "ERROR",
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: group } }],
        },
      }),
      /Log Group ARN must be provided with '\*' qualifier/,
    );
    assert.match(
      await refusal({ RoleArn: ROLE, Definition: PASS, LoggingConfiguration: { Level: "LOUD" } }),
      /^Properties validation failed for resource QueryStateMachine with message: #\/LoggingConfiguration\/Level: LOUD is not a valid enum value$/,
    );
    // The resource schema's minItems, checked before the handler: an empty list is refused even when off.
    assert.match(
      await refusal({
        RoleArn: ROLE,
        Definition: PASS,
        LoggingConfiguration: { Level: "OFF", Destinations: [] },
      }),
      /#\/LoggingConfiguration\/Destinations: expected minimum item count: 1, found: 0$/,
    );
    const made = await provider().create(
      {
        RoleArn: ROLE,
        Definition: PASS,
        LoggingConfiguration: {
          Level: "ERROR",
          IncludeExecutionData: false,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: `${group}:*` } }],
        },
      },
      context(),
    );
    assert.ok(made.attributes.Arn);
  });

  test("an update keeps the revision when nothing changed and makes a new one for a new definition", async () => {
    const properties = { StateMachineName: "shop-query", RoleArn: ROLE, Definition: PASS };
    const made = await provider().create(properties, context());
    const current = { ...made, properties };
    const same = await provider().update(current, properties, context());
    assert.equal(same.attributes.StateMachineRevisionId, made.attributes.StateMachineRevisionId);
    const changed = { ...properties, Definition: { ...PASS, Comment: "v2" } };
    const updated = await provider().update(current, changed, context());
    assert.equal(updated.physicalId, ARN);
    assert.notEqual(updated.attributes.StateMachineRevisionId, made.attributes.StateMachineRevisionId);
    assert.equal(JSON.parse(String(updated.attributes["Sluice::Definition"])).Comment, "v2");
    assert.deepEqual(provider().replaceOn, ["StateMachineName", "StateMachineType"]);
  });
});

describe("a deployed state machine in the region's app", () => {
  test("runs its definition with the deployed resources' ARNs and URLs, by physical name", async () => {
    const resources = await deployTemplate(
      {
        Resources: {
          JobsQueue: { Type: "AWS::SQS::Queue", Properties: { QueueName: "shop-jobs" } },
          QueryStateMachine: {
            Type: TYPE,
            Properties: {
              StateMachineName: "shop-query",
              StateMachineType: "EXPRESS",
              RoleArn: ROLE,
              Definition: {
                QueryLanguage: "JSONata",
                StartAt: "Send",
                States: {
                  Send: {
                    Type: "Task",
                    Resource: "arn:aws:states:::sqs:sendMessage",
                    Arguments: { QueueUrl: "${JobsQueue}", MessageBody: "{% $states.input %}" },
                    End: true,
                  },
                },
              },
              DefinitionSubstitutions: { JobsQueue: { Ref: "JobsQueue" } },
            },
          },
        },
      },
      {},
      providers,
      {
        stackName: "shop",
        region: "eu-west-1",
        accountId: "123456789012",
        endpointUrl: "http://127.0.0.1:4599",
      },
    );
    const { spec } = regionApp(resources, { region: "eu-west-1", accountId: "123456789012" });
    const machine = spec.stateMachines?.["shop-query"];
    assert.ok(machine, "the machine is in the region's app");
    assert.equal(machine.stateMachineName, "shop-query");
    assert.equal(machine.type, "EXPRESS");
    assert.equal(machine.queryLanguage, "JSONata");
    assert.deepEqual(machine.references, []);
    assert.deepEqual(machine.logging, { level: "OFF", includeExecutionData: false });
    const send = (machine.definition.States as Record<string, { Arguments: { QueueUrl: string } }>).Send;
    assert.equal(send?.Arguments.QueueUrl, "http://127.0.0.1:4599/123456789012/shop-jobs");
    assert.ok(Object.isFrozen(machine.definition));
  });
});
