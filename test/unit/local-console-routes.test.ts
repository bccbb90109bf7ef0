/**
 * The console's routes (local/console/console-routes.ts) over a request and response made in
 * memory: a drawing that fails is an error answer for that request, never an exception thrown out
 * of the endpoint's request handler (which would end `dev`).
 */
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, test } from "node:test";
import { CONSOLE_PATH, loadConsoleAssets, serveConsole } from "../../src/local/console/index.ts";

const TOKEN = "t".repeat(43);

function get(path: string) {
  const req = { method: "GET", url: `${CONSOLE_PATH}${TOKEN}/${path}` } as IncomingMessage;
  const answer: { status?: number; headers?: Record<string, unknown>; body?: unknown } = {};
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      answer.status = status;
      answer.headers = headers;
    },
    end(body?: unknown) {
      answer.body = body;
    },
  } as unknown as ServerResponse;
  return { req, res, answer };
}

describe("the console's routes", () => {
  test("a drawing that throws answers 500 for graph.svg; the page's own files still answer", () => {
    const site = {
      assets: loadConsoleAssets(),
      graph: () => {
        throw new Error("the renderer failed");
      },
    };
    const graph = get("graph.svg");
    serveConsole(graph.req, graph.res, TOKEN, site);
    assert.equal(graph.answer.status, 500);
    assert.equal(graph.answer.headers?.["content-security-policy"] !== undefined, true);
    const page = get("");
    serveConsole(page.req, page.res, TOKEN, site);
    assert.equal(page.answer.status, 200);
  });
});
