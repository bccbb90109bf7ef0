/**
 * A failover app's global stack sends the health checkers' secret in the URL of each Route 53
 * health check (`ResourcePath: /health?healthCheckerId=${secret}`, written by Fn::Sub, which
 * cannot percent-encode): a given `--health-checker-id` with a character a query string treats
 * specially (`&`, `#`, `%`, `+`, a space) would reach the function as another value, so every
 * check would fail and Route 53 would route away from healthy regions. Deploy refuses it first,
 * without printing it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { main } from "../../src/cli/main.ts";

const APP = join(import.meta.dirname, "..", "fixtures", "apps", "failover-golden");

function capture() {
  const lines: string[] = [];
  return {
    text: () => lines.join("\n"),
    output: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), color: false },
  };
}

describe("deploy --health-checker-id for an app whose health Route 53 checks", () => {
  for (const secret of [
    "health&secret-must-not-print",
    "health secret must not print",
    "health%2Fsecret#x",
  ]) {
    test(`refuses ${JSON.stringify(secret.slice(0, 7))}… (exit 2) before anything is built or called`, async (t) => {
      const saved = { ...process.env };
      t.after(() => {
        process.env = saved;
      });
      process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
      process.env.AWS_SECRET_ACCESS_KEY = "secret-key-that-must-not-print";
      process.env.AWS_MAX_ATTEMPTS = "1";
      const c = capture();
      const code = await main(
        ["deploy", APP, "--health-checker-id", secret, "--endpoint-url", "http://127.0.0.1:9"],
        c.output,
      );
      assert.equal(code, 2, c.text());
      assert.match(c.text(), /--health-checker-id .*letters, digits/);
      assert.ok(!c.text().includes(secret), c.text());
    });
  }
});
