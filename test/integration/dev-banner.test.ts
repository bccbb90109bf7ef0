import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readDevState } from "../../src/dev/dev-state-file.ts";
import { remoteOperations } from "../../src/local/control/control-client.ts";
import { startDev } from "../support/cli-process.ts";
import { tempDir } from "../support/temp.ts";

const CONFIG = `import { defineApp } from "sluice";

export default defineApp({
  name: "banner",
  queues: { audit: {} },
  functions: {
    boom: { handler: "src/boom.handler" },
    missing: { handler: "src/missing-export.handler" },
    router: {
      handler: "src/ok.handler",
      routes: (_error: Error | null, result: unknown) => {
        throw new Error(\`no route for \${String(result)}\`);
      },
    },
  },
  buses: { orders: {} },
  rules: {
    placed: { bus: "orders", pattern: { source: ["shop"] }, targets: [{ queue: "audit" }] },
  },
});
`;

const BOOM = `interface Order {
  readonly id: string;
}

export async function handler(order: Order): Promise<string> {
  throw new Error(\`cannot take \${order.id}\`);
}
`;

describe("sluice dev's banner and logs", { timeout: 120_000 }, () => {
  test("the banner lists buses and rules, and flags a function whose init failed, with the error", async (t) => {
    const app = writeApp();
    const dev = await startDev(app.dir);
    t.after(async () => {
      await dev.stop();
      app.cleanup();
    });
    await dev.waitForLine(/^ {2}bus {6}orders {9}banner-orders$/);
    await dev.waitForLine(/^ {2}rule {5}placed .*on bus orders → queue audit$/);
    await dev.waitForLine(/init failed: function missing: .*handler is undefined or not exported/);
    const output = dev.lines.join("\n");
    assert.doesNotMatch(output, /init failed: function boom/);
  });

  test("a stack trace in dev's log points at the user's .ts line", async (t) => {
    const app = writeApp();
    const dev = await startDev(app.dir);
    t.after(async () => {
      await dev.stop();
      app.cleanup();
    });
    const state = readDevState(join(app.dir, ".sluice"));
    assert.ok(state);
    const response = await remoteOperations(state.url, state.token).invoke({
      function: "boom",
      payload: '{"id":"o-1"}',
    });
    assert.equal(response.async, false);
    // Line 6 of src/boom.ts throws; the bundle's own line is far further down.
    await dev.waitForLine(/at handler \(.*src\/boom\.ts:6:\d+\)/);

    // A routing function's frame names the definition's own line (12: the throw in CONFIG).
    await remoteOperations(state.url, state.token).invoke({ function: "router", payload: "{}" });
    await dev.waitForLine(/sluice\.config\.ts:12:\d+/);
  });
});

function writeApp() {
  const temp = tempDir("sluice-dev-banner-");
  mkdirSync(join(temp.dir, "src"));
  writeFileSync(join(temp.dir, "sluice.config.ts"), CONFIG);
  writeFileSync(join(temp.dir, "src", "boom.ts"), BOOM);
  writeFileSync(join(temp.dir, "src", "ok.ts"), "export const handler = async () => 7;\n");
  writeFileSync(join(temp.dir, "src", "missing-export.ts"), "export const handle = async () => 1;\n");
  return temp;
}
