import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { Deadlines } from "../../src/local/clock/deadlines.ts";

describe("deadlines", () => {
  test("fires each deadline once the clock reaches it, earliest first, same instant in order added", async () => {
    const clock = new ManualClock();
    const deadlines = new Deadlines(clock);
    const fired: string[] = [];
    const t0 = clock.now();
    deadlines.at(t0 + 300, () => fired.push(`c@${clock.now() - t0}`));
    deadlines.at(t0 + 100, () => fired.push(`a@${clock.now() - t0}`));
    deadlines.at(t0 + 300, () => fired.push(`d@${clock.now() - t0}`));
    deadlines.at(t0 + 200, () => fired.push(`b@${clock.now() - t0}`));
    await clock.advance(99);
    assert.deepEqual(fired, []);
    await clock.advance(1);
    assert.deepEqual(fired, ["a@100"]);
    await clock.advance(500);
    assert.deepEqual(fired, ["a@100", "b@200", "c@300", "d@300"]);
    assert.equal(deadlines.size, 0);
  });

  test("never fires a cancelled deadline, wherever it sits in the heap", async () => {
    const clock = new ManualClock();
    const deadlines = new Deadlines(clock);
    const fired: number[] = [];
    const t0 = clock.now();
    const timers = [50, 10, 40, 20, 30].map((ms) => deadlines.at(t0 + ms, () => fired.push(ms)));
    timers[1]?.cancel(); // the earliest, for which the clock timer is armed
    timers[2]?.cancel();
    timers[2]?.cancel();
    await clock.advance(100);
    assert.deepEqual(fired, [20, 30, 50]);
  });

  test("holds one clock timer at a time and gives it back when nothing is left", async () => {
    const clock = new ManualClock();
    const deadlines = new Deadlines(clock);
    const t0 = clock.now();
    const timers = Array.from({ length: 100 }, (_, i) => deadlines.at(t0 + 1000 + i, () => undefined));
    assert.equal(clock.pendingTimers, 1);
    for (const timer of timers) timer.cancel();
    assert.equal(deadlines.size, 0);
    assert.equal(clock.pendingTimers, 0);
  });

  test("arms for an earlier deadline added after a later one", async () => {
    const clock = new ManualClock();
    const deadlines = new Deadlines(clock);
    const fired: number[] = [];
    const t0 = clock.now();
    deadlines.at(t0 + 1000, () => fired.push(1000));
    deadlines.at(t0 + 10, () => fired.push(10));
    await clock.advance(10);
    assert.deepEqual(fired, [10]);
    assert.equal(clock.pendingTimers, 1, "re-armed for the remaining deadline");
    await clock.advance(990);
    assert.deepEqual(fired, [10, 1000]);
    assert.equal(clock.pendingTimers, 0);
  });

  test("lets a firing deadline add and cancel others", async () => {
    const clock = new ManualClock();
    const deadlines = new Deadlines(clock);
    const fired: string[] = [];
    const t0 = clock.now();
    const later = deadlines.at(t0 + 50, () => fired.push("later"));
    deadlines.at(t0 + 10, () => {
      fired.push("first");
      later.cancel();
      deadlines.at(clock.now() + 5, () => fired.push("added"));
    });
    await clock.advance(100);
    assert.deepEqual(fired, ["first", "added"]);
  });

  test("with keepTimer, leaves its clock timer armed when the last deadline is cancelled", async () => {
    const clock = new ManualClock();
    const deadlines = new Deadlines(clock, { keepTimer: true });
    const fired: number[] = [];
    const t0 = clock.now();
    for (let i = 0; i < 100; i++) deadlines.at(t0 + 1000 + i, () => fired.push(i)).cancel();
    assert.equal(deadlines.size, 0);
    assert.equal(clock.pendingTimers, 1, "one timer, armed once for the first deadline");
    deadlines.at(t0 + 1500, () => fired.push(1500));
    assert.equal(clock.pendingTimers, 1, "a later deadline waits behind the armed timer");
    await clock.advance(1000);
    assert.deepEqual(fired, []);
    assert.equal(clock.pendingTimers, 1, "re-armed for the deadline still waiting");
    await clock.advance(500);
    assert.deepEqual(fired, [1500]);
    assert.equal(clock.pendingTimers, 0, "given back once it finds nothing left");
  });

  test("gives a kept timer back once keepTimer is turned off and no deadline waits", () => {
    const clock = new ManualClock();
    const deadlines = new Deadlines(clock, { keepTimer: true });
    const t0 = clock.now();
    deadlines.at(t0 + 50, () => undefined).cancel();
    assert.equal(clock.pendingTimers, 1, "kept");
    deadlines.setKeepTimer(false);
    assert.equal(clock.pendingTimers, 0, "given back at once");
    deadlines.setKeepTimer(true);
    const waiting = deadlines.at(t0 + 100, () => undefined);
    deadlines.setKeepTimer(false);
    assert.equal(clock.pendingTimers, 1, "a deadline still waits");
    waiting.cancel();
    assert.equal(clock.pendingTimers, 0, "given back with the last deadline");
  });
});
