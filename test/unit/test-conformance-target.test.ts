/**
 * Which target the conformance suites run against (test/support/conformance/target-choice.ts):
 * local by default; AWS only when asked for and the SDK's chain has credentials, refusing clearly
 * otherwise. The credentials lookup is a stub, so nothing here reaches a network.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ConformanceTargetError,
  chooseTarget,
  DEFAULT_AWS_REGION,
  DEFAULT_AWS_STAGE,
} from "../support/conformance/target-choice.ts";

const withCredentials = async () => true;
const withoutCredentials = async () => false;
const unasked = async (): Promise<boolean> => {
  throw new Error("credentials were looked up for a local run");
};

async function refusal(promise: Promise<unknown>): Promise<ConformanceTargetError> {
  const error = await promise.then(
    () => assert.fail("expected the choice to be refused"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConformanceTargetError, String(error));
  return error;
}

describe("conformance target choice", () => {
  test("is the local endpoint when nothing is set, or an empty value, without looking up credentials", async () => {
    assert.deepEqual(await chooseTarget({}, unasked), { kind: "local" });
    assert.deepEqual(await chooseTarget({ SLUICE_CONFORMANCE_TARGET: "" }, unasked), { kind: "local" });
    assert.deepEqual(await chooseTarget({ SLUICE_CONFORMANCE_TARGET: "local" }, unasked), { kind: "local" });
  });

  test("refuses aws without credentials in the SDK's chain, saying how to provide them or run locally", async () => {
    const error = await refusal(chooseTarget({ SLUICE_CONFORMANCE_TARGET: "aws" }, withoutCredentials));
    assert.match(error.message, /SLUICE_CONFORMANCE_TARGET=aws refuses to run/);
    assert.match(error.message, /no credentials/);
    assert.match(error.message, /AWS_PROFILE/);
    assert.match(error.message, /unset SLUICE_CONFORMANCE_TARGET/);
  });

  test("is aws with credentials: the stage and region from the variables, or their defaults", async () => {
    assert.deepEqual(await chooseTarget({ SLUICE_CONFORMANCE_TARGET: "aws" }, withCredentials), {
      kind: "aws",
      stage: DEFAULT_AWS_STAGE,
      region: DEFAULT_AWS_REGION,
    });
    const env = {
      SLUICE_CONFORMANCE_TARGET: "aws",
      SLUICE_CONFORMANCE_STACK: "ci42",
      SLUICE_CONFORMANCE_REGION: "eu-west-1",
    };
    assert.deepEqual(await chooseTarget(env, withCredentials), {
      kind: "aws",
      stage: "ci42",
      region: "eu-west-1",
    });
  });

  test("is cloud (a local account the app is deployed to) without looking up credentials", async () => {
    assert.deepEqual(await chooseTarget({ SLUICE_CONFORMANCE_TARGET: "cloud" }, unasked), {
      kind: "cloud",
      stage: DEFAULT_AWS_STAGE,
    });
    const env = { SLUICE_CONFORMANCE_TARGET: "cloud", SLUICE_CONFORMANCE_STACK: "ci7" };
    assert.deepEqual(await chooseTarget(env, unasked), { kind: "cloud", stage: "ci7" });
  });

  test("refuses an unknown target and a stage that cannot be part of a physical name", async () => {
    const unknown = await refusal(chooseTarget({ SLUICE_CONFORMANCE_TARGET: "azure" }, unasked));
    assert.match(unknown.message, /"azure" is not a conformance target; use one of: local, aws, cloud/);
    for (const stage of ["Prod", "with-dash", "9lives", "a".repeat(17)]) {
      const env = { SLUICE_CONFORMANCE_TARGET: "aws", SLUICE_CONFORMANCE_STACK: stage };
      const bad = await refusal(chooseTarget(env, withCredentials));
      assert.match(bad.message, /SLUICE_CONFORMANCE_STACK=.* cannot name a stage/);
    }
  });
});
