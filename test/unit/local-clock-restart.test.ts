import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  CLOCK_FILE,
  type ClockMark,
  durableClock,
  readClockMark,
  SystemClock,
} from "../../src/local/clock/index.ts";
import { tempDir } from "../support/temp.ts";

const DAY_MS = 86_400_000;
const WALL = Date.UTC(2026, 5, 1);

test("a resumed clock keeps the offset it had", (t) => {
  t.mock.method(Date, "now", () => WALL);
  const clock = new SystemClock({ resume: { offsetMs: DAY_MS, nowMs: WALL - 60_000 + DAY_MS } });
  assert.equal(clock.now(), WALL + DAY_MS);
});

test("a resumed clock is never before the now it recorded, though the wall clock was set back", (t) => {
  t.mock.method(Date, "now", () => WALL);
  const clock = new SystemClock({ resume: { offsetMs: 0, nowMs: WALL + 3_600_000 } });
  assert.equal(clock.now(), WALL + 3_600_000);
  assert.deepEqual(clock.mark(), { offsetMs: 3_600_000, nowMs: WALL + 3_600_000 });
});

test("a running clock does not go back when the wall clock does", (t) => {
  let wall = WALL;
  t.mock.method(Date, "now", () => wall);
  const clock = new SystemClock();
  assert.equal(clock.now(), WALL);
  wall = WALL - 10_000;
  assert.equal(clock.now(), WALL);
  wall += 500;
  assert.equal(clock.now(), WALL + 500, "time goes on from where it was");
});

test("advance reports its mark before it fires anything, and a failed report leaves the clock", (t) => {
  t.mock.method(Date, "now", () => WALL);
  const seen: string[] = [];
  let fail = true;
  const clock = new SystemClock({
    onAdvance: (mark) => {
      seen.push(`mark ${mark.offsetMs} ${mark.nowMs}`);
      if (fail) throw new Error("disk full");
    },
  });
  const timer = clock.at(WALL + 1000, () => seen.push("fired"));
  t.after(() => timer.cancel());
  assert.throws(() => clock.advance(1000), /disk full/);
  assert.equal(clock.now(), WALL);
  assert.deepEqual(seen, [`mark 1000 ${WALL + 1000}`]);
  fail = false;
  clock.advance(1000);
  assert.equal(clock.now(), WALL + 1000);
  assert.deepEqual(seen, [`mark 1000 ${WALL + 1000}`, `mark 1000 ${WALL + 1000}`, "fired"]);
});

test("durableClock records each advance in the state folder and a new one resumes from it", (t) => {
  const temp = tempDir("sluice-clock-");
  t.after(() => temp.cleanup());
  let wall = WALL;
  t.mock.method(Date, "now", () => wall);
  const first = durableClock(temp.dir);
  assert.deepEqual(readClockMark(temp.dir), { offsetMs: 0, nowMs: WALL });
  first.advance(DAY_MS);
  assert.deepEqual(readClockMark(temp.dir), { offsetMs: DAY_MS, nowMs: WALL + DAY_MS });
  // Killed: nothing more is written. Started again five seconds later on the wall clock.
  wall += 5000;
  const second = durableClock(temp.dir);
  assert.equal(second.now(), WALL + DAY_MS + 5000);
  // The wall clock set back an hour before the next start: the clock stays where it was.
  wall = WALL - 3_600_000;
  const third = durableClock(temp.dir);
  assert.ok(third.now() >= WALL + DAY_MS + 5000);
  const mark = JSON.parse(readFileSync(join(temp.dir, CLOCK_FILE), "utf8")) as ClockMark;
  assert.ok(mark.nowMs >= WALL + DAY_MS + 5000, "the start is recorded too");
});

test("a clock file that is not a mark is ignored", (t) => {
  const temp = tempDir("sluice-clock-");
  t.after(() => temp.cleanup());
  t.mock.method(Date, "now", () => WALL);
  for (const content of ["{", '{"offsetMs":-5,"nowMs":1}', '{"offsetMs":"1d"}', "null"]) {
    writeFileSync(join(temp.dir, CLOCK_FILE), content);
    assert.equal(readClockMark(temp.dir), undefined, content);
    assert.equal(durableClock(temp.dir).now(), WALL, content);
  }
});
