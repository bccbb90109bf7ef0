import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  childHeader,
  newTraceHeader,
  newTraceRoot,
  parentOf,
  traceRootOf,
  withoutLineage,
} from "../../src/local/traces/index.ts";

const NOW = Date.UTC(2026, 0, 1);
const GIVEN = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:2";

describe("X-Ray trace headers across hops", () => {
  test("a new trace header has a Root dated by the clock and a Parent, in X-Ray's format", () => {
    const header = newTraceHeader(NOW);
    assert.match(header, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    assert.equal(traceRootOf(header)?.slice(2, 10), (NOW / 1000).toString(16));
    assert.notEqual(traceRootOf(newTraceHeader(NOW)), traceRootOf(header), "each trace is new");
  });

  test("the trace ids one process makes are unique and only grow, so the trace file adds each at its end", () => {
    const roots: string[] = [];
    for (let i = 0; i < 2_000; i++) roots.push(traceRootOf(newTraceHeader(NOW + i * 7)) as string);
    roots.push(newTraceRoot(NOW + 2_000 * 7));
    assert.equal(new Set(roots).size, roots.length);
    for (let i = 1; i < roots.length; i++) {
      assert.ok((roots[i - 1] as string) < (roots[i] as string), `${roots[i - 1]} before ${roots[i]}`);
    }
    // The first 40 of the 96 bits are the process's own (drawn at random), the rest count.
    const processBits = new Set(roots.map((root) => root.slice(11, 21)));
    assert.equal(processBits.size, 1);
    assert.notEqual([...processBits][0], "0000000000");
  });

  test("the Root and the Parent of a header are read wherever they stand", () => {
    assert.equal(traceRootOf(GIVEN), "1-5759e988-bd862e3fe1be46a994272793");
    assert.equal(parentOf(GIVEN), "53995c3f42cd8ad8");
    assert.equal(
      traceRootOf("Sampled=1; Root=1-5759e988-bd862e3fe1be46a994272793"),
      "1-5759e988-bd862e3fe1be46a994272793",
    );
    assert.equal(parentOf("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"), undefined);
    assert.equal(traceRootOf("Self=1-abc;Sampled=1"), undefined);
    assert.equal(traceRootOf(undefined), undefined);
  });

  test("a child header keeps the Root, Sampled and Lineage and takes a new Parent", () => {
    const child = childHeader(GIVEN);
    assert.equal(traceRootOf(child), traceRootOf(GIVEN));
    assert.match(parentOf(child) ?? "", /^[0-9a-f]{16}$/);
    assert.notEqual(parentOf(child), parentOf(GIVEN));
    assert.match(child, /;Sampled=1;Lineage=a87bd80c:2$/, "no Lineage change: only an invocation counts");
    assert.notEqual(parentOf(childHeader(GIVEN)), parentOf(child), "each child is a segment of its own");
  });

  test("a child of a header without a Root starts a new trace", () => {
    const child = childHeader("Sampled=1", NOW);
    assert.match(child, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    assert.equal(traceRootOf(childHeader(undefined, NOW))?.slice(2, 10), (NOW / 1000).toString(16));
  });

  test("a header passed through a service Lambda's loop detection does not count through loses its Lineage only", () => {
    assert.equal(
      withoutLineage(GIVEN),
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
    );
    assert.equal(
      withoutLineage("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8"),
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
    );
  });

  test("a header whose Root is not an X-Ray trace id is no trace: a hop given one starts its own", () => {
    // Wire data (a client's X-Amzn-Trace-Id, an AWSTraceHeader) must not become a trace id.
    for (const bad of [
      "Root=<img src=x>;Parent=53995c3f42cd8ad8",
      "Root=../../etc;Sampled=1",
      "Root=1-abc",
    ]) {
      assert.equal(traceRootOf(bad), undefined, bad);
      assert.match(childHeader(bad, NOW), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    }
  });
});
