import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { HealthSpec } from "../../src/model/http-api.ts";
import { healthResponder, withHealthCheck } from "../../src/runtime/health-check.ts";
import { secretMatches } from "../../src/runtime/health-secret.ts";

const SPEC: HealthSpec = {
  path: "/health",
  deepCheck: "checkDependencies",
  deepPercent: 25,
  checkerIdVariable: "HEALTH_CHECKER_ID",
  forceFailVariable: "HEALTH_FORCE_FAIL",
};
const ENV = { HEALTH_CHECKER_ID: "s3cret", AWS_REGION: "us-east-1" };

function ping(id?: string): object {
  return {
    version: "2.0",
    routeKey: "GET /health",
    ...(id === undefined ? {} : { queryStringParameters: { healthCheckerId: id } }),
  };
}

/** Cycles through 0, 1/n, 2/n, …: over n pings exactly deepPercent% go deep. */
function evenly(n: number): () => number {
  let i = 0;
  return () => (i++ % n) / n;
}

const quiet = <T>(fn: () => Promise<T>): Promise<T> => {
  const { warn, error } = console;
  console.warn = () => undefined;
  console.error = () => undefined;
  return fn().finally(() => {
    console.warn = warn;
    console.error = error;
  });
};

describe("the built-in health check", () => {
  test("answers a shallow ping from the function, naming its region", async () => {
    const answer = await healthResponder(SPEC, async () => true, { env: ENV, random: () => 0.99 })(
      ping("s3cret"),
      {},
    );
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(JSON.parse(answer.body), { message: "Shallow hello from us-east-1" });
  });

  test("runs the dependency check on a deep ping", async () => {
    let checked = 0;
    const respond = healthResponder(
      SPEC,
      async () => {
        checked++;
        return true;
      },
      { env: { ...ENV, AWS_REGION: "us-west-2" }, random: () => 0 },
    );
    const answer = await respond(ping("s3cret"), {});
    assert.deepEqual(JSON.parse(answer.body), { message: "Deep hello from us-west-2" });
    assert.equal(checked, 1);
  });

  test("sends the configured percentage of pings deep", async () => {
    let deep = 0;
    const respond = healthResponder(
      SPEC,
      async () => {
        deep++;
        return true;
      },
      { env: ENV, random: evenly(100) },
    );
    for (let i = 0; i < 1000; i++) await respond(ping("s3cret"), {});
    assert.equal(deep, 250);
  });

  test("fails the same way, whatever the reason, without revealing it", async () => {
    await quiet(async () => {
      const ok = { env: ENV, random: () => 0 };
      const answers = [
        await healthResponder(SPEC, async () => true, ok)(ping("wrong"), {}),
        await healthResponder(SPEC, async () => true, ok)(ping(), {}),
        await healthResponder(SPEC, async () => true, { ...ok, env: { ...ENV, HEALTH_FORCE_FAIL: "true" } })(
          ping("s3cret"),
          {},
        ),
        await healthResponder(
          SPEC,
          async () => {
            throw new Error("db down");
          },
          ok,
        )(ping("s3cret"), {}),
        await healthResponder(SPEC, async () => false, ok)(ping("s3cret"), {}),
        await healthResponder(SPEC, async () => true, { ...ok, env: { AWS_REGION: "us-east-1" } })(
          ping("s3cret"),
          {},
        ),
      ];
      for (const answer of answers) assert.deepEqual(answer, answers[0]);
      assert.equal(answers[0]?.statusCode, 503);
      assert.doesNotMatch(answers[0]?.body ?? "", /id|secret|fail|db/i);
    });
  });

  test("intercepts only the health route, before the handler, in either payload format", async () => {
    const calls: unknown[] = [];
    const wrapped = withHealthCheck(
      async (event) => {
        calls.push(event);
        return "handler";
      },
      { checkDependencies: () => true },
      SPEC,
      { env: ENV, random: () => 0.9 },
    );
    assert.equal(((await wrapped(ping("s3cret"), {})) as { statusCode: number }).statusCode, 200);
    const v1 = {
      resource: "/health",
      httpMethod: "GET",
      queryStringParameters: { healthCheckerId: "s3cret" },
    };
    assert.equal(((await wrapped(v1, {})) as { statusCode: number }).statusCode, 200);
    assert.equal(await wrapped({ routeKey: "GET /items" }, {}), "handler");
    assert.equal(calls.length, 1);
  });

  test("fails at init when the named dependency check is not exported", () => {
    assert.throws(() => withHealthCheck(async () => null, {}, SPEC), { name: "Sluice.HealthCheckNotFound" });
  });
});

describe("the checker id comparison", () => {
  test("matches only the exact secret, and nothing when none is configured", () => {
    assert.equal(secretMatches("s3cret", "s3cret"), true);
    assert.equal(secretMatches("s3cre", "s3cret"), false);
    assert.equal(secretMatches("s3cret-and-more", "s3cret"), false);
    assert.equal(secretMatches(undefined, "s3cret"), false);
    assert.equal(secretMatches("", ""), false);
    assert.equal(secretMatches("x", undefined), false);
  });
});
