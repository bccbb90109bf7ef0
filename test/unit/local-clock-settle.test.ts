import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/index.ts";

const START = Date.UTC(2026, 0, 1);

describe("ManualClock's settle hook", () => {
  test("runs between timers due at different times, and fires them in the same order as without it", async () => {
    const runs = async (settle?: () => Promise<void>) => {
      const log: string[] = [];
      const hook = settle
        ? () => {
            log.push("settle");
            return settle();
          }
        : undefined;
      const clock = new ManualClock(START, hook ? { settle: hook } : {});
      clock.at(START + 2000, () => log.push("b@2000"));
      clock.at(START + 1000, () => log.push("a@1000"));
      clock.at(START + 3000, () => log.push("c@3000"));
      clock.at(START + 9000, () => log.push("late"));
      await clock.advance(3000);
      return { log, now: clock.now() };
    };
    const plain = await runs();
    const hooked = await runs(async () => {});
    assert.deepEqual(plain.log, ["a@1000", "b@2000", "c@3000"]);
    assert.deepEqual(
      hooked.log.filter((entry) => entry !== "settle"),
      plain.log,
    );
    // Before time moves, between each timer and the next, and once more at the target.
    assert.deepEqual(hooked.log, ["settle", "a@1000", "settle", "b@2000", "settle", "c@3000", "settle"]);
    assert.equal(hooked.now, START + 3000);
  });

  test("the work a timer starts finishes inside the hook before the next timer fires", async () => {
    const log: string[] = [];
    let running: Promise<void> | undefined;
    const clock = new ManualClock(START, {
      settle: async () => {
        // A local cloud's settling: wait (in real time) for what the last timer started.
        while (running) await running;
      },
    });
    clock.at(START + 1000, () => {
      log.push("first fires");
      running = (async () => {
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        log.push("first's work done");
        running = undefined;
      })();
    });
    clock.at(START + 2000, () => log.push("second fires"));
    await clock.advance(2000);
    assert.deepEqual(log, ["first fires", "first's work done", "second fires"]);
  });

  test("timers due at the same instant all fire before the hook, which never waits on one of them", async () => {
    const log: string[] = [];
    const clock = new ManualClock(START, {
      settle: async () => {
        log.push(`settle@${clock.now() - START}`);
      },
    });
    clock.at(START + 1000, () => log.push("x"));
    clock.at(START + 1000, () => log.push("y"));
    await clock.advance(1000);
    assert.deepEqual(log, ["settle@0", "x", "y", "settle@1000"]);
  });

  test("a timer the settled work arms within the advance fires in the same advance, in time order", async () => {
    const log: string[] = [];
    let armed = false;
    const clock = new ManualClock(START, {
      settle: async () => {
        if (armed || clock.now() !== START + 1000) return;
        armed = true;
        clock.at(START + 1500, () => log.push("armed while settling"));
      },
    });
    clock.at(START + 1000, () => log.push("first"));
    clock.at(START + 2000, () => log.push("second"));
    await clock.advance(2000);
    assert.deepEqual(log, ["first", "armed while settling", "second"]);
  });

  test("without a hook one turn of the event loop runs between timers, as before", async () => {
    const log: string[] = [];
    const clock = new ManualClock(START);
    clock.at(START + 1000, () => {
      log.push("first");
      setImmediate(() => log.push("first's immediate"));
    });
    clock.at(START + 1000, () => log.push("second"));
    await clock.advance(1000);
    assert.deepEqual(log, ["first", "first's immediate", "second"]);
    assert.equal(new ManualClock().now(), START);
  });
});
