/**
 * readBody, read with the stream's events since issue 14 (it was an async iterator): the same
 * body, the same 413 for an oversized one, the same failure for a request closed early.
 */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { readBody } from "../../src/local/wire/http-body.ts";

/** A request body stream without a socket (unit tests open none). */
function request(): PassThrough & IncomingMessage {
  return new PassThrough() as PassThrough & IncomingMessage;
}

test("joins the chunks of a body in order", async () => {
  const req = request();
  const body = readBody(req);
  req.write('{"QueueUrl":');
  req.write('"q"}');
  req.end();
  assert.equal((await body).toString(), '{"QueueUrl":"q"}');
});

test("an empty body is an empty buffer", async () => {
  const req = request();
  const body = readBody(req);
  req.end();
  assert.equal((await body).length, 0);
});

test("a body over the limit fails with 413 RequestTooLargeException and ends the request", async () => {
  const req = request();
  const body = readBody(req, 10);
  req.write("12345");
  req.write("678901");
  await assert.rejects(body, (error: Error & { code?: string; statusCode?: number }) => {
    assert.equal(error.code, "RequestTooLargeException");
    assert.equal(error.statusCode, 413);
    return true;
  });
  assert.equal(req.destroyed, true);
});

test("a request closed before its end fails as a premature close", async () => {
  const req = request();
  const body = readBody(req);
  req.write("partial");
  req.destroy();
  await assert.rejects(body, { code: "ERR_STREAM_PREMATURE_CLOSE" });
});

test("a stream error fails the read with that error", async () => {
  const req = request();
  const body = readBody(req);
  req.destroy(new Error("socket hang up"));
  await assert.rejects(body, /socket hang up/);
});
