/**
 * The console page in Debian's headless Chromium against a real `sluice dev` of the console
 * fixture: it loads with no console error and no request beyond the endpoint, follows a message
 * through the app, opens its trace, replays a hop and redrives a DLQ by clicking, and works from the
 * keyboard. (Its speed with 10,000 traces is measured in bench/console.ts.)
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { type ConsoleRig, fillTraces, openConsole, startConsoleRig } from "../support/console-page.ts";

const WAIT = { timeout: 60_000 };
/** The counters table sits in a closed <details>: in the page, not on screen. */
const IN_PAGE = { ...WAIT, state: "attached" } as const;

/** The little of the DOM the checks run in the page read (this project's types have no DOM lib; strings would need eval, which the page's CSP forbids). */
interface PageElement {
  readonly id: string;
  readonly textContent: string | null;
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
}
interface PageDocument {
  readonly body: PageElement;
  readonly activeElement: PageElement | null;
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
}

/** The text of the counters table's cell for `resource` in `column` (1-based, after the name). */
function counterCell(page: Page, resource: string, column: number) {
  return page.locator(`#counters-body tr[data-resource="${resource}"] td:nth-of-type(${column})`);
}

/**
 * Waits for the trace heading to name `traceId`; on a timeout the error says what the page shows
 * instead (the heading, the focus, the newest results), so a failure in CI can be read.
 */
async function waitForOpenTrace(page: Page, traceId: string): Promise<void> {
  try {
    await page.locator("#trace-heading", { hasText: traceId }).waitFor(WAIT);
  } catch (error) {
    const shown = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      return {
        heading: doc.getElementById("trace-heading")?.textContent,
        focus: doc.activeElement?.id || doc.activeElement?.getAttribute("data-trace"),
        opening: doc.body.getAttribute("data-opening"),
        results: [...doc.querySelectorAll("#results-list li")].slice(0, 3).map((li) => li.textContent),
      };
    });
    throw new Error(`trace ${traceId} did not open: the page shows ${JSON.stringify(shown)}`, {
      cause: error,
    });
  }
}

async function submit(page: Page, form: string): Promise<void> {
  await page.click(`#${form} button[type=submit]`);
}

describe("the console page in headless Chromium", () => {
  let rig: ConsoleRig;
  let page: Page;

  before(async () => {
    rig = await startConsoleRig();
    page = await openConsole(rig);
  });

  after(async () => {
    await rig?.close();
  });

  test("loads with the graph, its counters and the forms, with no console error", async () => {
    assert.equal(await page.locator("#graph svg [data-resource='function:work']").count(), 1);
    await page.locator("#graph [data-resource='function:greet'] text.counter").waitFor(WAIT);
    assert.deepEqual(
      await page
        .locator("#send-queue option")
        .evaluateAll((options) => options.map((o) => o.getAttribute("value"))),
      ["orders", "orders-dlq"],
    );
    assert.equal(await page.locator("#failover-form").isHidden(), true, "a one-region app has no drills");
    for (const control of await page.locator("main select, main input, main textarea").all()) {
      // Every control is named by a <label> of its own (this project's types have no DOM).
      const labelled = await control.evaluate(
        (node) => ((node as unknown as { labels?: { length: number } }).labels?.length ?? 0) > 0,
      );
      assert.ok(labelled, `${await control.getAttribute("id")} has a label`);
    }
    assert.deepEqual(rig.errors, []);
  });

  test("a message sent through the page shows up as a trace whose hops open on click", async () => {
    await page.selectOption("#send-queue", "orders");
    await page.fill("#send-body", '{"order":1}');
    await submit(page, "send-form");
    await page.locator("#results-list li.ok", { hasText: "Sent message" }).first().waitFor(WAIT);
    // The send and work's invocation: one trace, found through the live updates.
    const row = page.locator("#traces-body tr", {
      hasText: "queue:orders",
      has: page.locator("td:nth-child(3)", { hasText: /^2$/ }),
    });
    await row.first().waitFor(WAIT);
    await row.first().click();
    await page.locator("#timeline button.hop").nth(1).waitFor(WAIT);
    const kinds = await page.locator("#timeline button.hop .hop-kind").allTextContents();
    assert.deepEqual([...kinds].sort(), ["invoke", "send"]);
    await page.locator("#timeline button.hop", { hasText: "invoke" }).click();
    await page.locator("#hop-logs", { hasText: 'order {"order":1}' }).waitFor(WAIT);
    // The invocation's payload is the SQS event work got, the message's body in it.
    const payload = (await page.locator("#hop-payload").textContent()) ?? "";
    assert.ok(payload.includes('"body": "{\\"order\\":1}"'), payload);
    assert.equal(await page.inputValue("#invoke-function"), "work", "the invoke form follows the hop");
  });

  test("replaying the selected hop by clicking makes a new trace", async () => {
    await page.locator("#timeline button.hop", { hasText: "send" }).click();
    const before = await page.locator("#traces-body tr").count();
    await page.click("#replay-hop");
    const result = page.locator("#results-list li", { hasText: "Replayed" }).first();
    await result.waitFor(WAIT);
    const traceId = /as trace (\S+)\./.exec((await result.textContent()) ?? "")?.[1];
    assert.ok(traceId, (await result.textContent()) ?? "");
    await page.locator(`#traces-body tr[data-trace="${traceId}"]`).waitFor(WAIT);
    assert.ok((await page.locator("#traces-body tr").count()) > before);
  });

  test("Tab reaches a trace row and Enter opens it", async () => {
    await page.focus("#filter-time");
    let focused = "";
    for (let i = 0; i < 5 && !focused; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(
        () =>
          (globalThis as unknown as { document: PageDocument }).document.activeElement?.getAttribute(
            "data-trace",
          ) ?? "",
      );
    }
    assert.ok(focused, "a trace row takes the focus");
    await page.keyboard.press("Enter");
    await waitForOpenTrace(page, focused);
    assert.equal(
      await page.evaluate(
        () => (globalThis as unknown as { document: PageDocument }).document.activeElement?.id,
      ),
      "trace-heading",
    );
  });

  test("of two traces opened one after the other, the second stays open whichever answers last", async () => {
    const rows = page.locator("#traces-body tr[data-trace]");
    const first = (await rows.nth(0).getAttribute("data-trace")) ?? "";
    const second = (await rows.nth(1).getAttribute("data-trace")) ?? "";
    assert.ok(first && second && first !== second, `two traces listed: ${first}, ${second}`);
    // The first trace's answer is held until the second has opened, so it arrives last.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = (url: URL) => url.pathname.endsWith("/trace") && url.searchParams.get("id") === first;
    await page.route(slow, async (route) => {
      await held;
      await route.fallback();
    });
    try {
      await page.click(`#traces-body tr[data-trace="${first}"]`);
      await page.click(`#traces-body tr[data-trace="${second}"]`);
      await waitForOpenTrace(page, second);
      release();
      await page.waitForFunction(
        () =>
          (globalThis as unknown as { document: PageDocument }).document.body.getAttribute("data-opening") ===
          "0",
        undefined,
        WAIT,
      );
      assert.equal(await page.locator("#trace-heading").textContent(), `Trace ${second}`);
      assert.equal(
        await page.getAttribute(`#traces-body tr[data-trace="${second}"]`, "aria-current"),
        "true",
      );
    } finally {
      release();
      await page.unroute(slow);
    }
  });

  test("a DLQ redriven by clicking moves its messages back (the counters change)", async () => {
    await page.selectOption("#send-queue", "orders");
    await page.fill("#send-body", '{"please":"fail"}');
    await submit(page, "send-form");
    await page.locator("#traces-body tr.failed").first().waitFor(WAIT);
    // After the visibility timeout the next receive is past maxReceiveCount: the DLQ takes it.
    await page.fill("#advance-duration", "31 seconds");
    await submit(page, "advance-form");
    await counterCell(page, "queue:orders", 5).filter({ hasText: /^1$/ }).waitFor(IN_PAGE);
    await page.selectOption("#redrive-queue", "orders-dlq");
    await submit(page, "redrive-form");
    await page.locator("#results-list li.ok", { hasText: "Redrove 1 message" }).waitFor(WAIT);
    await counterCell(page, "queue:orders", 5).filter({ hasNotText: /^1$/ }).waitFor(IN_PAGE);
  });

  test("with 10,000 traces recorded the page loads and the filters apply", async () => {
    fillTraces(rig.session, 10_000, ["work", "greet"]);
    const busy = await openConsole(rig);
    assert.equal(await busy.locator("#traces-body tr").count(), 200, "one page of the list");
    assert.equal(await busy.locator("#load-more").isVisible(), true);
    await busy.selectOption("#filter-outcome", "failed");
    await busy.waitForFunction(() => {
      const rows = [
        ...(globalThis as unknown as { document: PageDocument }).document.querySelectorAll("#traces-body tr"),
      ];
      return rows.length > 0 && rows.every((row) => row.classList.contains("failed"));
    });
    await busy.selectOption("#filter-outcome", "all");
    await busy.selectOption("#filter-resource", "function:greet");
    await busy.waitForFunction(() => {
      const rows = [
        ...(globalThis as unknown as { document: PageDocument }).document.querySelectorAll("#traces-body tr"),
      ];
      return rows.length === 200 && rows.every((row) => row.textContent?.includes("function:greet"));
    });
    await busy.selectOption("#filter-resource", "");
    await busy.selectOption("#filter-time", "300000");
    await busy.waitForFunction(() => {
      const count = (globalThis as unknown as { document: PageDocument }).document.querySelectorAll(
        "#traces-body tr",
      ).length;
      return (
        count > 0 &&
        count <= 200 &&
        (globalThis as unknown as { document: PageDocument }).document.body.getAttribute("data-loading") ===
          ""
      );
    });
    // About 300 of the recorded traces started in the last 5 minutes: "Load more" shows the rest.
    await busy.click("#load-more");
    await busy.waitForFunction(
      () =>
        (globalThis as unknown as { document: PageDocument }).document.querySelectorAll("#traces-body tr")
          .length > 200,
    );
    await busy.close();
    assert.deepEqual(rig.errors, []);
    assert.deepEqual(rig.outside, [], "the page asked nothing of any other origin");
  });
});
