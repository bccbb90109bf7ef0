/** The host a local server's URL names for the address it binds (local/front-door/listen.ts). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { urlHostOf } from "../../src/local/front-door/index.ts";

test("a wildcard bind is reached on 127.0.0.1, an IPv6 address in brackets, a name as it is", () => {
  assert.equal(urlHostOf("0.0.0.0"), "127.0.0.1");
  assert.equal(urlHostOf("::"), "127.0.0.1");
  assert.equal(urlHostOf("127.0.0.1"), "127.0.0.1");
  assert.equal(urlHostOf("::1"), "[::1]");
  assert.equal(urlHostOf("localhost"), "localhost");
  assert.equal(urlHostOf("192.168.1.20"), "192.168.1.20");
});
