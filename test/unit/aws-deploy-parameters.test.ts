import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deployParameters, secretValues } from "../../src/aws/deploy/parameters.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const spec = normaliseApp(
  {
    name: "shop",
    functions: {
      status: { handler: "src/status.handler", health: { path: "/ping" } },
      bill: { handler: "src/bill.handler" },
    },
  },
  { stage: "prod" },
);

async function input(existing: string[] = [], extra: Partial<Parameters<typeof deployParameters>[0]> = {}) {
  return {
    spec,
    template: await synthesize(spec),
    bucket: "artifacts-bucket",
    codeKeys: { status: "sluice/artifacts/aa.zip", bill: "sluice/artifacts/bb.zip" },
    existing: new Set(existing),
    generateSecret: () => "generated-secret-value",
    ...extra,
  };
}

function byKey(parameters: ReturnType<typeof deployParameters>) {
  return Object.fromEntries(
    parameters.map((p) => [p.ParameterKey, p.UsePreviousValue ? "(previous)" : p.ParameterValue]),
  );
}

describe("deploy parameters", () => {
  test("a new stack gets the bucket, each code key, a generated health secret, and the force-fail default", async () => {
    assert.deepEqual(byKey(deployParameters(await input())), {
      ArtifactBucket: "artifacts-bucket",
      StatusCodeKey: "sluice/artifacts/aa.zip",
      StatusHealthCheckerId: "generated-secret-value",
      BillCodeKey: "sluice/artifacts/bb.zip",
    });
  });

  test("an existing stack keeps its NoEcho secret and force-fail switch with UsePreviousValue", async () => {
    const existing = [
      "ArtifactBucket",
      "StatusCodeKey",
      "BillCodeKey",
      "StatusHealthCheckerId",
      "StatusHealthForceFail",
    ];
    const parameters = deployParameters(
      await input(existing, {
        generateSecret: () => assert.fail("must not generate a new secret for an existing stack"),
      }),
    );
    assert.deepEqual(byKey(parameters), {
      ArtifactBucket: "artifacts-bucket",
      StatusCodeKey: "sluice/artifacts/aa.zip",
      StatusHealthCheckerId: "(previous)",
      StatusHealthForceFail: "(previous)",
      BillCodeKey: "sluice/artifacts/bb.zip",
    });
    const secret = parameters.find((p) => p.ParameterKey === "StatusHealthCheckerId");
    assert.equal(secret?.ParameterValue, undefined, "UsePreviousValue sends no value");
  });

  test("a given health checker ID replaces the stack's", async () => {
    const parameters = deployParameters(
      await input(["StatusHealthCheckerId"], { healthCheckerId: "given-secret" }),
    );
    assert.equal(byKey(parameters).StatusHealthCheckerId, "given-secret");
  });

  test("lists the NoEcho values so the CLI can mask them", async () => {
    const i = await input();
    assert.deepEqual(secretValues(deployParameters(i), i.template), ["generated-secret-value"]);
  });

  test("refuses a decorator's parameter that has neither a value nor a Default", async () => {
    const i = await input();
    i.template.Parameters.ExtraThing = { Type: "String" };
    assert.throws(() => deployParameters(i), /parameter ExtraThing has no value and no Default/);
    i.template.Parameters.ExtraThing = { Type: "String", Default: "x" };
    assert.equal(byKey(deployParameters(i)).ExtraThing, undefined, "a Default needs no value");
  });
});
