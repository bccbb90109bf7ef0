/**
 * Global tables' upkeep between regions: no timer while nothing waits (a clock moved by a day
 * runs no passes), versions and tombstones forgotten once no older write can still arrive, and a
 * table's existing items copied to the other replicas when it becomes global.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Engine } from "../../src/local/dynamodb/engine.ts";
import { GlobalTableReplication } from "../../src/local/dynamodb/index.ts";
import { GLOBAL_TABLE, globalTablesRig, type RigRegion, TABLE } from "../support/global-tables-rig.ts";

const EAST = "us-east-1";
const WEST = "us-west-2";
const DAY_MS = 24 * 60 * 60 * 1000;

const put = (pk: string, extra: Record<string, unknown> = {}) => ({
  TableName: TABLE,
  Item: { pk: { S: pk }, ...extra },
});

/** Rows of the region's version table (live items' versions and tombstones). */
function versionRows(region: RigRegion): number {
  const engine = (region.service as unknown as { engine: Engine }).engine;
  return (engine.db.prepare("SELECT COUNT(*) AS n FROM ddb_replica_versions").get() as { n: number }).n;
}

test("an idle replication sets no timer: a clock moved by a day runs no passes", async () => {
  const rig = globalTablesRig([EAST, WEST, "eu-west-1"]);
  const [east, west] = rig.regions;
  east?.call("PutItem", put("a"));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.ok(west?.get("a"));
  assert.equal(rig.clock.pendingTimers, 0, "nothing waits, so nothing is armed");
  let armed = 0;
  const at = rig.clock.at.bind(rig.clock);
  rig.clock.at = (atMs, fn) => {
    armed++;
    return at(atMs, fn);
  };
  await rig.clock.advance(DAY_MS);
  assert.equal(armed, 0, "no pass ran during the day");
  // A write still wakes it, on the clock alone.
  west?.call("PutItem", put("b"));
  await rig.clock.advance(1000);
  assert.ok(east?.get("b"), "delivered by the timer the write armed");
});

test("a region reopened over its file while idle still wakes the replication with its writes", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  assert.ok(east && west);
  east.call("PutItem", put("before"));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  // A dev reload: the cloud closes and reopens between two passes, unseen by the replication.
  east.crash();
  east.reopen();
  east.call("PutItem", put("after"));
  await rig.clock.advance(1000);
  assert.ok(west.get("after"), "the new engine's write reached west on the clock alone");
});

test("a closed region is polled until it reopens; its queued writes are then delivered", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  assert.ok(east && west);
  east.call("PutItem", put("queued"));
  east.crash();
  await rig.clock.advance(1000);
  east.reopen();
  await rig.clock.advance(5000);
  assert.ok(west.get("queued"));
  assert.equal(rig.clock.pendingTimers, 0, "and once delivered, polling stops");
});

test("paused, the replication wakes only to report the lag, not every few seconds", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  rig.replication.pause();
  rig.regions[0]?.call("PutItem", put("p"));
  let armed = 0;
  const at = rig.clock.at.bind(rig.clock);
  rig.clock.at = (atMs, fn) => {
    armed++;
    return at(atMs, fn);
  };
  await rig.clock.advance(DAY_MS);
  assert.ok(armed <= 3, `armed ${armed} timers`);
  assert.ok(rig.events.some((e) => e.type === "replication-lagging"));
  rig.replication.resume();
  await rig.clock.advance(0);
  assert.ok(rig.regions[1]?.get("p"));
});

test("versions and tombstones are forgotten once no older write can still arrive", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  assert.ok(east && west);
  for (let i = 0; i < 5; i++) east.call("PutItem", put(`v${i}`));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  for (let i = 0; i < 5; i++) east.call("PutItem", put(`v${i}`, { n: { N: "2" } }));
  await rig.clock.advance(10);
  for (let i = 0; i < 5; i++) west.call("DeleteItem", { TableName: TABLE, Key: { pk: { S: `v${i}` } } });
  await rig.clock.advance(2000);
  await rig.replication.settled();
  for (let i = 0; i < 5; i++) {
    assert.equal(east.get(`v${i}`), undefined);
    assert.equal(west.get(`v${i}`), undefined, "the older puts did not bring the items back");
  }
  await rig.clock.advance(1);
  await rig.replication.settled();
  assert.equal(versionRows(east), 0, "east keeps no versions");
  assert.equal(versionRows(west), 0, "west keeps no tombstones");
});

test("a tombstone stays while an older write from a closed region may still arrive", async () => {
  const rig = globalTablesRig([EAST, WEST, "eu-west-1"]);
  const [east, west, eu] = rig.regions;
  assert.ok(east && west && eu);
  eu.call("PutItem", put("late", { v: { S: "eu, older" } }));
  eu.crash();
  await rig.clock.advance(10);
  west.call("PutItem", put("late", { v: { S: "west" } }));
  west.call("DeleteItem", { TableName: TABLE, Key: { pk: { S: "late" } } });
  await rig.clock.advance(DAY_MS);
  await rig.replication.settled();
  eu.reopen();
  await rig.clock.advance(5000);
  await rig.replication.settled();
  for (const region of rig.regions)
    assert.equal(region.get("late"), undefined, `${region.region}: the delete still wins`);
});

test("a table that becomes global copies its existing items to the other replicas", async () => {
  const regional = { ...GLOBAL_TABLE };
  delete (regional as { global?: true }).global;
  const rig = globalTablesRig([EAST, WEST, "eu-west-1"], { tables: [regional] });
  await rig.replication.close();
  const [east, west, eu] = rig.regions;
  assert.ok(east && west && eu);
  east.call("PutItem", put("old-1", { v: { S: "east" } }));
  east.call("PutItem", put("old-2", { v: { S: "east" } }));
  // The definition now calls it global (east reconciles first), then the replication runs.
  east.service?.ensureTables([GLOBAL_TABLE]);
  const replication = new GlobalTableReplication({
    regions: rig.regions.map((r) => ({ region: r.region, dynamodb: () => r.service })),
    tables: () => [TABLE],
    clock: rig.clock,
  });
  replication.start();
  try {
    await rig.clock.advance(1000);
    await replication.settled();
    for (const region of [west, eu]) {
      assert.deepEqual(region.get("old-1")?.v, { S: "east" }, region.region);
      assert.deepEqual(region.get("old-2")?.v, { S: "east" }, region.region);
    }
    // Marked global by the replication alone (west had no definition change): nothing to copy, no loop.
    for (const status of replication.status()) assert.equal(status.waiting, 0, JSON.stringify(status));
  } finally {
    await replication.close();
  }
});

test("a region reopened over its file still leaves global tables' TTL expiry to the first region", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  assert.ok(east && west);
  const expiresAt = Math.floor(rig.clock.now() / 1000) + 60;
  east.call("PutItem", put("ttl", { expiresAt: { N: String(expiresAt) } }));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.ok(west.get("ttl"));
  // A dev reload of west while the replication is idle: its new engine runs no pass first.
  west.crash();
  west.reopen();
  await rig.clock.advance(120_000);
  assert.equal(west.service?.expireItems(), 0, "west still leaves expiry to east");
  assert.equal(east.service?.expireItems(), 1);
});

test("a global table with no other replica queues nothing; its items are copied once one appears", async () => {
  const rig = globalTablesRig([EAST, WEST], { startReplication: false });
  const [east, west] = rig.regions;
  assert.ok(east && west);
  const engine = (east.service as unknown as { engine: Engine }).engine;
  const outbox = () =>
    (engine.db.prepare("SELECT COUNT(*) AS n FROM ddb_replica_outbox").get() as { n: number }).n;
  // A single-region app (or a one-replica global table): no replication ever prunes a queue.
  for (let i = 0; i < 20; i++) east.call("PutItem", put(`s${i}`));
  east.call("DeleteItem", { TableName: TABLE, Key: { pk: { S: "s0" } } });
  assert.equal(outbox(), 0, "no outbox rows wait for regions that do not exist");
  assert.equal(versionRows(east), 0, "and no versions are kept");
  rig.replication.start();
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.equal(west.get("s0"), undefined);
  for (let i = 1; i < 20; i++) assert.ok(west.get(`s${i}`), `s${i} copied to the new replica`);
});

test("a table the definition no longer calls global stops queueing writes nobody will take", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  assert.ok(east && west);
  east.call("PutItem", put("g"));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.ok(west.get("g"));
  // The definition drops `global`: the regions reconcile and the replication no longer lists it.
  const regional = { ...GLOBAL_TABLE };
  delete (regional as { global?: true }).global;
  await rig.replication.close();
  for (const region of rig.regions) region.service?.ensureTables([regional]);
  const engine = (east.service as unknown as { engine: Engine }).engine;
  for (let i = 0; i < 10; i++) east.call("PutItem", put(`r${i}`));
  const outbox = (engine.db.prepare("SELECT COUNT(*) AS n FROM ddb_replica_outbox").get() as { n: number }).n;
  assert.equal(outbox, 0, "a regional table's writes join no outbox");
  const table = east.call("DescribeTable", { TableName: TABLE }).Table as Record<string, unknown>;
  assert.equal(table.GlobalTableVersion, undefined);
  assert.equal(table.Replicas, undefined);
});

test("a global table added while the replication is idle replicates from its first write", async () => {
  const other = { ...GLOBAL_TABLE, name: "other", tableName: "app-other" };
  const rig = globalTablesRig([EAST, WEST]);
  await rig.replication.close();
  const [east, west] = rig.regions;
  assert.ok(east && west);
  const tables = [TABLE];
  const replication = new GlobalTableReplication({
    regions: rig.regions.map((r) => ({ region: r.region, dynamodb: () => r.service })),
    tables: () => tables,
    clock: rig.clock,
  });
  replication.start();
  try {
    await rig.clock.advance(1000);
    assert.equal(rig.clock.pendingTimers, 0, "idle");
    // A reload adds a global table: each region creates it, the replication's list names it.
    for (const region of rig.regions) region.service?.ensureTables([GLOBAL_TABLE, other]);
    tables.push("app-other");
    east.call("PutItem", { TableName: "app-other", Item: { pk: { S: "first" } } });
    // One lag to wake and name the replicas (copying the item then), one for the copy to arrive.
    await rig.clock.advance(2000);
    const got = west.call("GetItem", { TableName: "app-other", Key: { pk: { S: "first" } } });
    assert.ok(got.Item, "the first write woke the replication, which named the replicas and copied it");
  } finally {
    await replication.close();
  }
});

test("a deleted global table's queued writes do not reach the table made again under its name", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  assert.ok(east && west);
  rig.replication.pause();
  east.call("PutItem", put("old", { v: { S: "before the delete" } }));
  // The stack is destroyed (every replica deleted) and deployed again before the write arrived.
  for (const region of rig.regions) {
    region.call("DeleteTable", { TableName: TABLE });
    region.service?.ensureTables([GLOBAL_TABLE]);
  }
  rig.replication.resume();
  await rig.clock.advance(2000);
  await rig.replication.settled();
  assert.equal(east.get("old"), undefined);
  assert.equal(west.get("old"), undefined, "no write of the deleted table reached the new one");
});
