/**
 * The gateway's `request` hop header (local/apigateway/gateway-ids.ts): a client's X-Amzn-Trace-Id
 * whose Root is not an X-Ray trace id is no trace, so the hop and its invocation share a new one.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { requestHopHeader } from "../../src/local/apigateway/index.ts";
import { traceRootOf } from "../../src/local/traces/index.ts";

const NOW = Date.UTC(2026, 0, 1);

test("a gateway Root is extended with a Parent; a client's Root that is no trace id starts a new trace", () => {
  const root = "1-67891233-abcdef012345678912345678";
  assert.equal(traceRootOf(requestHopHeader(`Root=${root}`, NOW)), root);
  const header = requestHopHeader("Root=<script>", NOW);
  assert.match(header, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
  assert.ok(traceRootOf(header));
});
