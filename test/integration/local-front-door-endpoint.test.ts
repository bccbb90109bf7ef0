/**
 * The front door of `sluice dev`'s endpoint (AWS protocols and the /_sluice control API): a
 * foreign Host (DNS rebinding), a request a browser sent from another origin, an unsigned call
 * and a control call without the session's token are each refused before anything runs.
 */
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { timeCommand } from "../../src/cli/commands/time.ts";
import { UsageError } from "../../src/cli/usage-error.ts";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { readDevState } from "../../src/dev/dev-state-file.ts";
import { SystemClock } from "../../src/local/clock/clock.ts";
import { startControlServer } from "../../src/local/endpoint/control-server.ts";
import type { LocalCloud } from "../../src/local/local-cloud.ts";
import { directOperations, MAX_ADVANCE_MS, type Operations } from "../../src/local/operations.ts";
import { ROOT } from "../support/cli-process.ts";
import { clientConfig, copyAppWithSdk } from "../support/endpoint.ts";
import { hostOf, raw } from "../support/front-door.ts";
import { signedHeaders } from "../support/request-signing.ts";

describe("the endpoint's front door (sluice dev)", () => {
  let session: DevSession;
  let app: { dir: string; cleanup(): void };
  let sqs: SQSClient;
  let token: string;
  const events: DevEvent[] = [];
  const audit = () => `${session.url}/000000000000/events-audit`;
  const sendForm = (queue: string) =>
    `Action=SendMessage&QueueUrl=${encodeURIComponent(queue)}&MessageBody=hostile&Version=2012-11-05`;
  const depth = async () =>
    Number(
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: audit(),
            AttributeNames: ["ApproximateNumberOfMessages"],
          }),
        )
      ).Attributes?.ApproximateNumberOfMessages,
    );
  const control = (
    path: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ) =>
    raw(session.url, {
      path: `/_sluice${path}`,
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: { host: hostOf(session.url), authorization: `Bearer ${token}`, ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });

  before(async () => {
    app = copyAppWithSdk(join(ROOT, "test", "fixtures", "apps", "events"));
    session = await DevSession.start({
      dir: app.dir,
      watch: false,
      allowedHosts: ["devbox.test"],
      onEvent: (e) => events.push(e),
    });
    sqs = new SQSClient(clientConfig(session.url));
    token = readDevState(join(app.dir, ".sluice"))?.token ?? "";
  });
  after(async () => {
    sqs?.destroy();
    await session?.close();
    app?.cleanup();
  });

  test("refuses a Host that is not a loopback name it serves (DNS rebinding) and changes nothing", async () => {
    const port = new URL(session.url).port;
    const form = { "content-type": "application/x-www-form-urlencoded", ...signedHeaders("sqs") };
    for (const host of [
      `rebind.test:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
      "localhost",
      `evil.localhost.test:${port}`,
    ]) {
      const answer = await raw(session.url, {
        method: "POST",
        headers: { ...form, host },
        body: sendForm(audit()),
      });
      assert.equal(answer.status, 403, host);
      assert.match(answer.body, /<Code>AccessDenied<\/Code>/);
      const read = await control("/queues", { headers: { host } });
      assert.equal(read.status, 403, host);
      assert.doesNotMatch(read.body, /events-audit/);
    }
    assert.equal(await depth(), 0, "no refused SendMessage took effect");
    // Loopback names, *.localhost (S3's virtual-hosted style), other 127.x and --allow-host names pass.
    for (const host of [
      `localhost:${port}`,
      `bucket.localhost:${port}`,
      `127.0.0.2:${port}`,
      `devbox.test:${port}`,
    ]) {
      const answer = await raw(session.url, {
        method: "POST",
        headers: { ...form, host },
        body: sendForm(audit()),
      });
      assert.equal(answer.status, 200, `${host}: ${answer.body}`);
    }
    assert.equal(await depth(), 4);
    await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: audit(), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
  });

  test("refuses requests a browser sent from another origin, and CORS preflights, before anything runs", async () => {
    const before = await depth();
    const own = `http://${hostOf(session.url)}`;
    const form = { "content-type": "application/x-www-form-urlencoded", ...signedHeaders("sqs") };
    const foreign: Record<string, string>[] = [
      { origin: "http://127.0.0.1:1" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of foreign) {
      const answer = await raw(session.url, {
        method: "POST",
        headers: { ...form, ...headers },
        body: sendForm(audit()),
      });
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.equal(answer.headers["access-control-allow-origin"], undefined);
      const read = await control("/queues", { headers });
      assert.equal(read.status, 403);
    }
    const preflight = await raw(session.url, {
      method: "OPTIONS",
      headers: { origin: own, "access-control-request-method": "POST" },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers["access-control-allow-origin"], undefined);
    assert.equal(await depth(), before);
    // The endpoint's own origin, and a typed-in navigation, are not cross-site.
    const same = await raw(session.url, {
      method: "POST",
      headers: { ...form, origin: own, "sec-fetch-site": "same-origin" },
      body: sendForm(audit()),
    });
    assert.equal(same.status, 200, same.body);
    assert.equal(await depth(), before + 1);
  });

  test("answers unsigned calls as AWS does: MissingAuthenticationToken, IncompleteSignature", async () => {
    const query = await raw(session.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=PurgeQueue&QueueUrl=x",
    });
    assert.equal(query.status, 403);
    assert.match(
      query.body,
      /<Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message>/,
    );
    const json = await raw(session.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.PurgeQueue" },
      body: JSON.stringify({ QueueUrl: audit() }),
    });
    assert.equal(json.status, 403);
    assert.deepEqual(JSON.parse(json.body), {
      __type: "com.amazon.coral.service#MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
    });
    const lambda = await raw(session.url, {
      method: "POST",
      path: "/2015-03-31/functions/events-record/invocations",
      body: "{}",
    });
    assert.equal(lambda.status, 403);
    assert.equal(lambda.headers["x-amzn-errortype"], "MissingAuthenticationTokenException");
    const bearer = await raw(session.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Bearer abc" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    assert.equal(bearer.status, 400);
    assert.match(
      bearer.body,
      /<Code>IncompleteSignature<\/Code><Message>Authorization header requires &apos;Credential&apos; parameter\. Authorization header requires &apos;Signature&apos; parameter\./,
    );
    const presigned = await raw(session.url, {
      path: "/?Action=GetCallerIdentity&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fsts%2Faws4_request",
    });
    assert.equal(presigned.status, 400);
    assert.match(presigned.body, /<Code>IncompleteSignature<\/Code>/);
    const sts = await raw(session.url, { path: "/?Action=GetCallerIdentity&Version=2011-06-15" });
    assert.equal(sts.status, 403);
    assert.match(sts.body, /xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"/);
    const invoked = events.filter((e) => e.type === "log");
    assert.equal(invoked.length, 0, "no function ran");
  });

  test("control calls need the session's token, kept in a 0600 dev.json in a 0700 folder and never printed", async () => {
    assert.ok(token.length >= 43, "32 random bytes");
    assert.equal(statSync(join(app.dir, ".sluice", "dev.json")).mode & 0o777, 0o600);
    assert.equal(statSync(join(app.dir, ".sluice")).mode & 0o777, 0o700);
    for (const authorization of [undefined, "Bearer wrong", `Bearer ${token}x`, token]) {
      const answer = await control("/send", {
        body: JSON.stringify({ queue: "audit", body: "x" }),
        headers: authorization === undefined ? { authorization: "" } : { authorization },
      });
      assert.equal(answer.status, 401);
      assert.equal(JSON.parse(answer.body).code, "MissingControlToken");
    }
    const ok = await control("/queues");
    assert.equal(ok.status, 200);
    // Only the console's URL, which the banner prints for the developer to open (issue 20).
    const told = events.map((event) =>
      event.type === "ready" ? { ...event, consoleUrl: undefined } : event,
    );
    assert.ok(!JSON.stringify(told).includes(token), "no other event carries the token");
  });

  test("control calls with missing or wrongly typed fields answer 400 naming the fields", async () => {
    const cases: [string, string, RegExp][] = [
      ["/invoke", "{}", /function must be a string; got nothing; payload must be a string/],
      ["/invoke", '{"function":5,"payload":"{}"}', /function must be a string; got number 5/],
      ["/invoke", '{"function":"record","payload":"{}","async":"yes"}', /async must be true or false/],
      ["/send", "[]", /the request body must be a JSON object/],
      ["/send", '{"queue":"audit","body":"x","delaySeconds":"soon"}', /delaySeconds must be a whole number/],
      [
        "/send",
        '{"queue":"audit","body":"x","messageAttributes":{"a":1}}',
        /messageAttributes\.a must be a string/,
      ],
      ["/redrive", "null", /the request body must be a JSON object/],
      ["/time/advance", '{"ms":"1h"}', /ms must be a number; got a string/],
      ["/invoke", "not json", /not valid JSON/],
    ];
    for (const [path, body, message] of cases) {
      const answer = await control(path, { body });
      assert.equal(answer.status, 400, `${path} ${body}: ${answer.body}`);
      assert.match(JSON.parse(answer.body).message, message);
      assert.doesNotMatch(answer.body, /\n\s+at /);
    }
  });

  test("time advance refuses absurd durations everywhere, and Invoke and PutEvents still work after", async () => {
    const now = JSON.parse((await control("/time")).body).now as number;
    for (const ms of ["1e300", "1e999", "-1", String(MAX_ADVANCE_MS + 1)]) {
      const answer = await control("/time/advance", { body: `{"ms":${ms}}` });
      assert.equal(answer.status, 400, ms);
      assert.match(JSON.parse(answer.body).message, /time advance takes 0 to \d+ ms \(10 years\) per call/);
    }
    const clock = new SystemClock();
    const ops: Operations = directOperations(() => ({ clock }) as unknown as LocalCloud);
    for (const ms of [1e300, Number.POSITIVE_INFINITY, Number.NaN, -5, MAX_ADVANCE_MS + 1]) {
      await assert.rejects(ops.advanceTime(ms), { code: "SLUICE_ADVANCE_OUT_OF_RANGE" });
    }
    const output = { out: () => undefined, err: () => undefined, color: false };
    for (const amount of ["3651d", "99999999999999999999d"]) {
      await assert.rejects(
        timeCommand.run({ positionals: ["advance", amount], values: { dir: app.dir } }, output),
        (error: unknown) => error instanceof UsageError && /10 years/.test(error.message),
      );
    }
    const after = JSON.parse((await control("/time")).body).now as number;
    assert.ok(after - now < 60_000, "the clock did not move");
    const lambda = new LambdaClient(clientConfig(session.url));
    const bus = new EventBridgeClient(clientConfig(session.url));
    try {
      const invoked = await lambda.send(
        new InvokeCommand({ FunctionName: "events-record", Payload: Buffer.from('{"n":1}') }),
      );
      assert.equal(invoked.StatusCode, 200);
      const put = await bus.send(
        new PutEventsCommand({ Entries: [{ Source: "shop", DetailType: "order placed", Detail: "{}" }] }),
      );
      assert.equal(put.FailedEntryCount, 0);
      const got = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: audit(), WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }),
      );
      assert.ok(got.Messages?.some((m) => m.Body?.includes('"source":"shop"')));
    } finally {
      lambda.destroy();
      bus.destroy();
    }
  });
});

describe("control API errors", () => {
  test("an unexpected error answers InternalError without its detail or stack, which goes to the process", async () => {
    const seen: unknown[] = [];
    const failing = { queues: async () => Promise.reject(new Error("sqlite exploded in /home/me/secret")) };
    const server = await startControlServer(failing as unknown as Operations, {
      onError: (_operation, error) => seen.push(error),
    });
    try {
      const answer = await raw(server.url, {
        path: "/_sluice/queues",
        headers: { authorization: `Bearer ${server.controlToken}` },
      });
      assert.equal(answer.status, 500);
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      assert.equal(body.code, "InternalError");
      assert.equal(body.stack, undefined);
      assert.doesNotMatch(answer.body, /exploded|secret|\bat /);
      assert.equal((seen[0] as Error).message, "sqlite exploded in /home/me/secret");
    } finally {
      await server.close();
    }
  });
});
