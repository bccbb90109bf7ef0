import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isHostWarning } from "../../src/local/lambda/worker/host-warnings.ts";

const OTHER = { runtimeMajor: 24, hostMajor: 20 };
const SAME = { runtimeMajor: 24, hostMajor: 24 };

describe("isHostWarning", () => {
  test("recognises the AWS SDK's Node-version warning by its message prefix or its type", () => {
    assert.ok(isHostWarning("NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)", undefined, SAME));
    assert.ok(isHostWarning("will require node >=22", "NodeVersionSupportWarning", SAME));
    assert.ok(isHostWarning("NodeDeprecationWarning: The AWS SDK for JavaScript (v3)", undefined, OTHER));
    const error = Object.assign(new Error("x"), { name: "NodeVersionSupportWarning" });
    assert.ok(isHostWarning(error, undefined, SAME));
  });

  test("drops an ExperimentalWarning only when the host's Node major is not the runtime's", () => {
    assert.ok(isHostWarning("SQLite is an experimental feature", "ExperimentalWarning", OTHER));
    assert.ok(!isHostWarning("SQLite is an experimental feature", "ExperimentalWarning", SAME));
  });

  test("keeps the user's warnings, deprecations included", () => {
    assert.ok(!isHostWarning("user warning", undefined, OTHER));
    assert.ok(!isHostWarning("old api", "DeprecationWarning", OTHER));
    assert.ok(!isHostWarning("mentions NodeVersionSupportWarning later", undefined, OTHER));
    assert.ok(!isHostWarning(new Error("custom"), undefined, OTHER));
  });
});
