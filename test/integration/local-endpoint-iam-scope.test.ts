/**
 * Region and account are part of every resource in `sluice dev`: a function's SDK calls are
 * checked against the ARN it named (its own region and account for a plain name, the ARN's for
 * an ARN), and a resource in another region or account does not exist in the one region the app
 * runs, whatever IAM says. `caller` may invoke `echo` and send to `jobs` here, and nowhere else.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import type { IamMode } from "../../src/local/endpoint/iam-guard.ts";
import { ROOT } from "../support/cli-process.ts";
import { copyAppWithSdk, rejection, SCRIPT_CREDENTIALS, statusOf } from "../support/endpoint.ts";

const FIXTURE = join(ROOT, "test", "fixtures", "apps", "security-iam");
const HERE = "us-east-1";
const ELSEWHERE = "eu-west-1";
const OTHER_ACCOUNT = "111111111111";

interface Outcome {
  ok?: unknown;
  error?: string;
  message?: string;
  status?: number;
}

interface Dev {
  readonly session: DevSession;
  readonly events: DevEvent[];
  /** Runs `caller` with the event given; resolves with what its SDK calls answered. */
  call(event: { region?: string; functionName: string; queueUrl: string }): Promise<{
    invoked: Outcome;
    sent: Outcome;
  }>;
  close(): Promise<void>;
}

describe("IAM and resource scope in sluice dev: region and account are part of every resource", () => {
  const app = copyAppWithSdk(FIXTURE);
  after(() => app.cleanup());

  async function startDev(iam: IamMode): Promise<Dev> {
    const events: DevEvent[] = [];
    const session = await DevSession.start({
      dir: app.dir,
      watch: false,
      iam,
      onEvent: (event) => events.push(event),
    });
    const lambda = new LambdaClient(scriptClient(session.url, HERE));
    return {
      session,
      events,
      async call(event) {
        const result = await lambda.send(
          new InvokeCommand({ FunctionName: "iamscope-caller", Payload: Buffer.from(JSON.stringify(event)) }),
        );
        const text = Buffer.from(result.Payload ?? []).toString("utf8");
        assert.equal(result.FunctionError, undefined, text);
        return JSON.parse(text);
      },
      async close() {
        lambda.destroy();
        await session.close();
      },
    };
  }

  const ownQueue = (dev: Dev, account = "000000000000") => `${dev.session.url}/${account}/iamscope-jobs`;

  test("--iam enforce: a function reaches what it is granted here, and nothing in another region or account", async () => {
    const dev = await startDev("enforce");
    try {
      const own = await dev.call({ functionName: "iamscope-echo", queueUrl: ownQueue(dev) });
      assert.deepEqual(own.invoked.ok, { from: "caller" }, JSON.stringify(own));
      assert.match(String(own.sent.ok), /^[0-9a-f-]{36}$/, JSON.stringify(own.sent));

      const signedElsewhere = await dev.call({
        region: ELSEWHERE,
        functionName: "iamscope-echo",
        queueUrl: ownQueue(dev),
      });
      assert.equal(signedElsewhere.invoked.error, "AccessDeniedException");
      assert.equal(signedElsewhere.invoked.status, 403);
      assert.match(
        signedElsewhere.invoked.message ?? "",
        /lambda:InvokeFunction on resource: arn:aws:lambda:eu-west-1:000000000000:function:iamscope-echo /,
      );
      assert.equal(signedElsewhere.sent.error, "AccessDenied");
      assert.match(
        signedElsewhere.sent.message ?? "",
        /sqs:sendmessage on resource: arn:aws:sqs:eu-west-1:000000000000:iamscope-jobs /,
      );

      const otherAccount = await dev.call({
        functionName: `arn:aws:lambda:${HERE}:${OTHER_ACCOUNT}:function:iamscope-echo`,
        queueUrl: ownQueue(dev, OTHER_ACCOUNT),
      });
      assert.equal(otherAccount.invoked.error, "AccessDeniedException");
      assert.match(
        otherAccount.invoked.message ?? "",
        /arn:aws:lambda:us-east-1:111111111111:function:iamscope-echo /,
      );
      assert.equal(otherAccount.sent.error, "AccessDenied");
      assert.match(otherAccount.sent.message ?? "", /arn:aws:sqs:us-east-1:111111111111:iamscope-jobs /);

      const otherRegion = await dev.call({
        functionName: `arn:aws:lambda:${ELSEWHERE}:000000000000:function:iamscope-echo`,
        queueUrl: `https://sqs.${ELSEWHERE}.amazonaws.com/000000000000/iamscope-jobs`,
      });
      assert.equal(otherRegion.invoked.error, "AccessDeniedException");
      assert.match(
        otherRegion.invoked.message ?? "",
        /arn:aws:lambda:eu-west-1:000000000000:function:iamscope-echo /,
      );
      assert.equal(otherRegion.sent.error, "AccessDenied");
      assert.match(otherRegion.sent.message ?? "", /arn:aws:sqs:eu-west-1:000000000000:iamscope-jobs /);

      assert.equal(await depth(dev.session.url), 1, "only the call in this region and account was sent");
    } finally {
      await dev.close();
    }
  });

  test("--iam warn: the same calls are reported, then find nothing: the resource is not in that region or account", async () => {
    const dev = await startDev("warn");
    try {
      const signedElsewhere = await dev.call({
        region: ELSEWHERE,
        functionName: "iamscope-echo",
        queueUrl: ownQueue(dev),
      });
      assert.equal(signedElsewhere.invoked.error, "ResourceNotFoundException");
      assert.equal(signedElsewhere.invoked.status, 404);
      assert.equal(signedElsewhere.sent.error, "QueueDoesNotExist");
      const reported = dev.events.flatMap((e) =>
        e.type === "iam-denied" ? [`${e.mode} ${e.action} ${e.resource}`] : [],
      );
      assert.deepEqual(reported.sort(), [
        "warn lambda:InvokeFunction arn:aws:lambda:eu-west-1:000000000000:function:iamscope-echo",
        "warn sqs:SendMessage arn:aws:sqs:eu-west-1:000000000000:iamscope-jobs",
      ]);
    } finally {
      await dev.close();
    }
  });

  test("--iam off: a function or queue named in another region or account does not exist, and the local one is not served", async () => {
    const dev = await startDev("off");
    try {
      const before = await depth(dev.session.url);
      const cases = [
        { region: ELSEWHERE, functionName: "iamscope-echo", queueUrl: ownQueue(dev) },
        {
          functionName: `arn:aws:lambda:${HERE}:${OTHER_ACCOUNT}:function:iamscope-echo`,
          queueUrl: ownQueue(dev, OTHER_ACCOUNT),
        },
        {
          functionName: `${OTHER_ACCOUNT}:function:iamscope-echo`,
          queueUrl: `https://sqs.${HERE}.amazonaws.com/${OTHER_ACCOUNT}/iamscope-jobs`,
        },
        {
          functionName: `arn:aws:lambda:${ELSEWHERE}:000000000000:function:iamscope-echo`,
          queueUrl: `https://sqs.${ELSEWHERE}.amazonaws.com/000000000000/iamscope-jobs`,
        },
      ];
      for (const event of cases) {
        const result = await dev.call(event);
        assert.equal(result.invoked.error, "ResourceNotFoundException", JSON.stringify(event));
        assert.equal(result.invoked.status, 404);
        assert.match(result.invoked.message ?? "", /^Function not found: arn:aws:lambda:/);
        assert.equal(result.sent.error, "QueueDoesNotExist", JSON.stringify(event));
        assert.equal(result.sent.status, 400);
      }
      assert.equal(await depth(dev.session.url), before, "nothing reached the local queue");
    } finally {
      await dev.close();
    }
  });

  test("a script signed for another region reaches an empty region: no functions, no queues", async () => {
    const dev = await startDev("enforce");
    const lambda = new LambdaClient(scriptClient(dev.session.url, ELSEWHERE));
    const sqs = new SQSClient(scriptClient(dev.session.url, ELSEWHERE));
    try {
      assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions, []);
      assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
      const invoke = await rejection(lambda.send(new InvokeCommand({ FunctionName: "iamscope-echo" })));
      assert.equal(invoke.name, "ResourceNotFoundException");
      assert.equal(statusOf(invoke), 404);
      assert.equal(
        invoke.message,
        "Function not found: arn:aws:lambda:eu-west-1:000000000000:function:iamscope-echo",
      );
      const missing = await rejection(sqs.send(new GetQueueUrlCommand({ QueueName: "iamscope-jobs" })));
      assert.equal(missing.name, "QueueDoesNotExist");
      const headers = (missing.$response as { headers?: Record<string, string> } | undefined)?.headers;
      assert.equal(headers?.["x-amzn-query-error"], "AWS.SimpleQueueService.NonExistentQueue;Sender");
      // The same client in the app's own region finds both.
      const here = new SQSClient(scriptClient(dev.session.url, HERE));
      try {
        assert.ok((await here.send(new GetQueueUrlCommand({ QueueName: "iamscope-jobs" }))).QueueUrl);
      } finally {
        here.destroy();
      }
    } finally {
      lambda.destroy();
      sqs.destroy();
      await dev.close();
    }
  });
});

function scriptClient(url: string, region: string) {
  return { endpoint: url, region, credentials: SCRIPT_CREDENTIALS, maxAttempts: 1 };
}

/** Messages waiting in the app's `jobs` queue, read in the app's own region. */
async function depth(url: string): Promise<number> {
  const sqs = new SQSClient(scriptClient(url, HERE));
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: `${url}/000000000000/iamscope-jobs`,
        AttributeNames: ["ApproximateNumberOfMessages"],
      }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? "0");
  } finally {
    sqs.destroy();
  }
}
