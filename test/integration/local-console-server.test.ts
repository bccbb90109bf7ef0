/**
 * The console page on a real `sluice dev` (the console fixture app) on 127.0.0.1: served with its
 * security headers only under the session's token, the same 404 as any unknown path otherwise,
 * refused behind the front door's Host and cross-site checks, and its graph (describe's drawing)
 * drawn again when a reload changes the definition.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { renderAppSvg } from "../../src/aws/describe/render-html.ts";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { CONSOLE_CSP } from "../../src/local/console/index.ts";
import { newTraceHeader } from "../../src/local/traces/trace-header.ts";
import { CONSOLE_APP } from "../support/console-page.ts";
import { hostOf, raw } from "../support/front-door.ts";
import { copyApp } from "../support/temp.ts";

const PAGE_HEADERS = {
  "content-security-policy": CONSOLE_CSP,
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

describe("the console page on dev's endpoint", () => {
  let app: { dir: string; cleanup(): void };
  let session: DevSession;
  let consoleUrl: string;
  let token: string;
  const events: DevEvent[] = [];
  /** A navigation the developer makes: typed or clicked in the address bar. */
  const navigation = { "sec-fetch-site": "none", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" };
  const path = (rest: string) => `/_sluice/console/${rest}`;

  before(async () => {
    app = copyApp(CONSOLE_APP);
    session = await DevSession.start({
      dir: app.dir,
      watch: false,
      consoleGraph: renderAppSvg,
      onEvent: (event) => events.push(event),
    });
    token = JSON.parse(readFileSync(join(app.dir, ".sluice", "dev.json"), "utf8")).token as string;
    const ready = events.find((event) => event.type === "ready");
    assert.ok(ready?.type === "ready" && ready.consoleUrl !== undefined);
    consoleUrl = ready.consoleUrl;
  });

  after(async () => {
    await session.close();
    app.cleanup();
  });

  test("dev's ready event gives the page's URL, the session's token in its path", () => {
    assert.equal(consoleUrl, `${session.url}/_sluice/console/${token}/`);
  });

  test("serves the page and its files with the security headers under the right token", async () => {
    const files = [
      ["", "text/html"],
      ["console.css", "text/css"],
      ["console.js", "text/javascript"],
      ["graph.svg", "image/svg+xml"],
    ] as const;
    for (const [file, type] of files) {
      const res = await fetch(`${consoleUrl}${file}`, { headers: navigation });
      assert.equal(res.status, 200, file);
      assert.ok(
        res.headers.get("content-type")?.startsWith(type),
        `${file}: ${res.headers.get("content-type")}`,
      );
      for (const [name, value] of Object.entries(PAGE_HEADERS))
        assert.equal(res.headers.get(name), value, `${file} ${name}`);
      const body = await res.text();
      assert.equal(Buffer.byteLength(body), Number(res.headers.get("content-length")));
      if (file === "")
        assert.equal(body, readFileSync(join("src/local/console/assets/console.html"), "utf8"));
    }
    const head = await fetch(consoleUrl, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
  });

  test("draws the app with each resource node named as its traces name it", async () => {
    const svg = await (await fetch(`${consoleUrl}graph.svg`)).text();
    for (const resource of ["function:work", "function:greet", "queue:orders", "queue:orders-dlq"]) {
      assert.ok(svg.includes(`data-resource="${resource}"`), resource);
    }
  });

  test("a wrong or missing token gets a 404 as an unknown control path does, and no page", async () => {
    const unknown = await raw(session.url, {
      path: "/_sluice/no-such-thing",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(unknown.status, 404);
    const wrong = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const guess of [
      `${wrong}/`,
      `${wrong}/console.js`,
      `${wrong}/graph.svg`,
      "",
      "/",
      `${token}x/`,
      `${token.slice(0, 8)}/`,
    ]) {
      const res = await raw(session.url, { path: path(guess), headers: navigation });
      assert.equal(res.status, 404, guess);
      assert.equal(res.headers["content-type"], unknown.headers["content-type"]);
      assert.ok(!/<html|<script|<svg/i.test(res.body), guess);
      assert.deepEqual(Object.keys(JSON.parse(res.body)), ["code", "message"]);
      assert.equal(JSON.parse(res.body).code, "NotFound");
    }
  });

  test("answers GET and HEAD only, and sends the bare token's path to the page's folder", async () => {
    const post = await raw(session.url, { method: "POST", path: path(`${token}/`), body: "x" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
    const bare = await raw(session.url, { path: path(token), headers: navigation });
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.location, path(`${token}/`));
  });

  test("refuses a foreign Host (DNS rebinding) even with the token", async () => {
    const { port } = new URL(session.url);
    for (const host of [`evil.example:${port}`, "evil.example"]) {
      const res = await raw(session.url, { path: path(`${token}/`), headers: { host, ...navigation } });
      assert.equal(res.status, 403, host);
      assert.ok(!res.body.includes("<html"));
    }
  });

  test("refuses a request another site's page sent, even with the token", async () => {
    const host = hostOf(session.url);
    const refused: Record<string, string>[] = [
      { origin: "http://evil.example" },
      { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" },
      { "sec-fetch-site": "same-site", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "script" },
    ];
    for (const headers of refused) {
      for (const file of ["", "console.js", "graph.svg"]) {
        const res = await raw(session.url, { path: path(`${token}/${file}`), headers: { host, ...headers } });
        assert.equal(res.status, 403, `${JSON.stringify(headers)} ${file}`);
        assert.ok(!/<html|<svg/i.test(res.body));
      }
    }
    // The page's own requests are same-origin: they pass.
    const own = await raw(session.url, {
      path: path(`${token}/console.js`),
      headers: { host, "sec-fetch-site": "same-origin", "sec-fetch-dest": "script" },
    });
    assert.equal(own.status, 200);
  });

  test("the page's live updates follow the primary cloud's trace store", async () => {
    const traces = session.localCloud.traces;
    const start = traces.latestSeq();
    // As the page asks: same-origin, the token as a bearer.
    const answer = fetch(`${session.url}/_sluice/changes?after=${start}`, {
      headers: { authorization: `Bearer ${token}`, "sec-fetch-site": "same-origin" },
    }).then(async (res) => (await res.json()) as { seq: number; hops: { target: string }[] });
    traces.record({
      header: newTraceHeader(Date.now()),
      kind: "send",
      source: "client",
      target: "queue:orders",
      startMs: Date.now(),
      durationMs: 0,
      outcome: "success",
      payload: "{}",
    });
    const body = await answer;
    assert.ok(body.seq > start);
    assert.ok(body.hops.some((hop) => hop.target === "queue:orders"));
  });

  test("draws the graph again when a reload changes the definition", async () => {
    const config = join(app.dir, "sluice.config.ts");
    writeFileSync(config, readFileSync(config, "utf8").replace("queues: {", "queues: {\n    extra: {},"));
    await session.reload(["sluice.config.ts"]);
    const svg = await (await fetch(`${consoleUrl}graph.svg`)).text();
    assert.ok(svg.includes('data-resource="queue:extra"'));
  });
});
