/**
 * One function's configuration update (reloadFunction, as UpdateFunctionConfiguration): only that
 * function goes through an update and gets new environments; its variables set outside the
 * definition (the `variables` option) reach its new environments and `variables()`, which
 * GetFunctionConfiguration reports; the other functions keep their warm environments.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createLambdaService } from "../../src/local/lambda/lambda-service.ts";
import { type Bundles, buildFixtures, parse } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["echo"]);
});
after(() => bundles.cleanup());

describe("updating one function's configuration", { timeout: 60_000 }, () => {
  test("only that function is updated and starts cold with its new variables; the others stay warm", async () => {
    let flag: Record<string, string> = {};
    const service = createLambdaService({
      functions: [
        functionSpec("api", { environment: { OWN: "yes" } }),
        functionSpec("worker", { environment: { OWN: "yes" } }),
      ],
      code: () => ({ file: bundles.file("echo"), exportName: "echo" }),
      clock: new ManualClock(),
      region: "us-west-2",
      accountId: "123456789012",
      environment: () => ({ HIDDEN_EXTRA: "1" }),
      variables: (fn) => (fn.name === "api" ? flag : {}),
    });
    try {
      const invoke = async (name: string) => {
        const result = await service.invoke(name, { payload: JSON.stringify({ readEnv: "FLAG" }) });
        return { cold: result.coldStart, flag: parse(result.payload).readEnv };
      };
      await invoke("api");
      await invoke("worker");
      assert.deepEqual(service.variables("api"), { OWN: "yes" });

      flag = { FLAG: "on" };
      // The function's own variables are read when an environment starts: none yet.
      assert.deepEqual(await invoke("api"), { cold: false, flag: null });
      const update = service.reloadFunction("api");
      assert.equal(service.configuration("api").lastUpdateStatus, "InProgress");
      assert.equal(service.configuration("worker").lastUpdateStatus, "Successful");
      assert.equal(await update, undefined);
      assert.equal(service.configuration("api").lastUpdateStatus, "Successful");

      assert.deepEqual(service.variables("api"), { OWN: "yes", FLAG: "on" });
      assert.deepEqual(service.variables("worker"), { OWN: "yes" });
      assert.deepEqual(await invoke("api"), { cold: true, flag: "on" });
      assert.deepEqual(await invoke("worker"), { cold: false, flag: null });
      assert.deepEqual(
        service.stats().map((s) => [s.functionName, s.codeGeneration]),
        [
          ["api", 1],
          ["worker", 0],
        ],
      );
      await assert.rejects(service.reloadFunction("nope"), { code: "ResourceNotFoundException" });
    } finally {
      await service.close();
    }
  });
});
