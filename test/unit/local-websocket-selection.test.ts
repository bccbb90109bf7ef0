import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FrameGuard } from "../../src/local/websocket/frame-guard.ts";
import { parseSelectionExpression, selectRouteKey } from "../../src/model/websocket-selection.ts";

describe("route selection expressions", () => {
  const select = (expression: string, body: string) =>
    selectRouteKey(parseSelectionExpression(expression), body);

  test("read a body field, nested fields with dots", () => {
    assert.equal(select("$request.body.action", '{"action":"join"}'), "join");
    assert.equal(select("$request.body.meta.kind", '{"meta":{"kind":"ping"}}'), "ping");
  });

  test("evaluate variables inside text, once, with \\$ as a literal dollar", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: API Gateway's own syntax, not a template.
    assert.equal(select("${request.body.version}-beta", '{"version":2}'), "2-beta");
    assert.equal(select("\\$${request.body.a}", '{"a":"x"}'), "$x");
  });

  test("give no key (so $default) for a body that is not JSON or lacks the field", () => {
    assert.equal(select("$request.body.action", "plain text"), undefined);
    assert.equal(select("$request.body.action", '{"other":1}'), undefined);
    assert.equal(select("$request.body.action", '{"action":{"nested":true}}'), undefined);
  });

  test("reject expressions that read anything but the body", () => {
    assert.match(parseSelectionExpression("$request.header.x").problem ?? "", /only \$request\.body/);
    assert.match(parseSelectionExpression("static").problem ?? "", /reads no/);
    assert.match(parseSelectionExpression("${request.body.a").problem ?? "", /not closed/);
  });
});

function frame(length: number, masked = true): Buffer {
  const header =
    length < 126
      ? Buffer.from([0x81, (masked ? 0x80 : 0) | length])
      : length < 65536
        ? Buffer.from([0x81, (masked ? 0x80 : 0) | 126, length >> 8, length & 0xff])
        : Buffer.concat([
            Buffer.from([0x81, (masked ? 0x80 : 0) | 127]),
            Buffer.from(new BigUint64Array([BigInt(length)]).buffer).reverse(),
          ]);
  return Buffer.concat([header, masked ? Buffer.alloc(4) : Buffer.alloc(0), Buffer.alloc(length)]);
}

describe("the 32 KB frame guard", () => {
  test("lets frames up to the limit through, across chunk boundaries", () => {
    const guard = new FrameGuard(32 * 1024);
    const bytes = Buffer.concat([frame(10), frame(200), frame(32 * 1024)]);
    for (let i = 0; i < bytes.length; i += 7) assert.equal(guard.feed(bytes.subarray(i, i + 7)), false);
  });

  test("reports a frame over the limit as soon as its header arrives", () => {
    const guard = new FrameGuard(32 * 1024);
    assert.equal(guard.feed(frame(5)), false);
    assert.equal(guard.feed(frame(32 * 1024 + 1).subarray(0, 8)), true);
    assert.equal(new FrameGuard(32 * 1024).feed(frame(70_000).subarray(0, 14)), true);
  });
});
