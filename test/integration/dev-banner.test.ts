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
    inline: { handler: "src/ok.handler", routes: () => fail("inline route") },
  },
  buses: { orders: {} },
  rules: {
    placed: { bus: "orders", pattern: { source: ["shop"] }, targets: [{ queue: "audit" }] },
  },
});

function fail(message: string): never {
  throw new Error(message);
}
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

    // A routing function's frame names the definition's own line and column (12:15: the `new
    // Error` of the throw in CONFIG), not a column shifted by the wrapper's prefix.
    await remoteOperations(state.url, state.token).invoke({ function: "router", payload: "{}" });
    const frame = await dev.waitForLine(/sluice\.config\.ts:12:\d+/);
    assert.match(frame, /sluice\.config\.ts:12:15\)/);

    // A routing function written on the line of its `routes:` key: the column is the definition's.
    await remoteOperations(state.url, state.token).invoke({ function: "inline", payload: "{}" });
    const inlineLine = CONFIG.split("\n")[14] ?? "";
    const column = inlineLine.indexOf('fail("inline route")') + 1;
    const inline = await dev.waitForLine(/sluice\.config\.ts:15:\d+/);
    assert.match(inline, new RegExp(`sluice\\.config\\.ts:15:${column}\\)`));
  });

  test("the banner prints the https @connections URL beside the http one", async (t) => {
    const temp = tempDir("sluice-dev-banner-ws-");
    mkdirSync(join(temp.dir, "src"));
    writeFileSync(join(temp.dir, "sluice.config.ts"), WEBSOCKET_CONFIG);
    writeFileSync(
      join(temp.dir, "src", "ok.ts"),
      "export const handler = async () => ({ statusCode: 200 });\n",
    );
    const dev = await startDev(temp.dir);
    t.after(async () => {
      await dev.stop();
      temp.cleanup();
    });
    const plain = await dev.waitForLine(/^ {2}@connections API {2}http:\/\/127\.0\.0\.1:\d+\/production$/);
    const port = /:(\d+)\//.exec(plain)?.[1];
    await dev.waitForLine(new RegExp(`^ {20}https://127\\.0\\.0\\.1:${port}/production .*ca\\.pem`));
  });

  test("a function whose init fails is flagged again after each reload, until it is fixed", async (t) => {
    const app = writeApp();
    const dev = await startDev(app.dir, { watch: true });
    t.after(async () => {
      await dev.stop();
      app.cleanup();
    });
    const failed = /init failed: function missing: .*handler is undefined or not exported/;
    await dev.waitForCount(failed, 1);
    // A code change elsewhere: the other functions reload; missing is still flagged, and the
    // reload is not reported as failed (missing never had code that worked to fall back to).
    writeFileSync(join(app.dir, "src", "ok.ts"), "export const handler = async () => 8;\n");
    await dev.waitForLine(/^reloaded in \d+ ms/);
    await dev.waitForCount(failed, 2);
    assert.doesNotMatch(dev.lines.join("\n"), /reload failed/);
    // A definition change restarts the cloud: flagged again.
    writeFileSync(join(app.dir, "sluice.config.ts"), CONFIG.replace("audit: {}", "audit: {}, spare: {}"));
    await dev.waitForLine(/reloaded \(definition changed: cloud restarted\)/);
    await dev.waitForCount(failed, 3);
    // Fixed: the next reload flags nothing.
    writeFileSync(join(app.dir, "src", "missing-export.ts"), "export const handler = async () => 1;\n");
    await dev.waitForCount(/^reloaded in \d+ ms/, 2);
    assert.equal(dev.lines.filter((line) => failed.test(line)).length, 3);
  });
});

const WEBSOCKET_CONFIG = `import { defineApp } from "sluice";

export default defineApp({
  name: "banner-ws",
  functions: { ok: { handler: "src/ok.handler" } },
  websocket: { stage: "production", routes: { $default: "ok" } },
});
`;

function writeApp() {
  const temp = tempDir("sluice-dev-banner-");
  mkdirSync(join(temp.dir, "src"));
  writeFileSync(join(temp.dir, "sluice.config.ts"), CONFIG);
  writeFileSync(join(temp.dir, "src", "boom.ts"), BOOM);
  writeFileSync(join(temp.dir, "src", "ok.ts"), "export const handler = async () => 7;\n");
  writeFileSync(join(temp.dir, "src", "missing-export.ts"), "export const handle = async () => 1;\n");
  return temp;
}
