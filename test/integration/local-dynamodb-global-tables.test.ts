/**
 * DynamoDB global tables between regions' engines, each on its own SQLite file, on a ManualClock:
 * replication after the lag, last writer wins (ties and tombstones), pause and resume, crashes,
 * no loops, the target's stream, conditional writes, TTL deletes and transactions.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { GlobalTableReplication } from "../../src/local/dynamodb/index.ts";
import { GLOBAL_TABLE, globalTablesRig, TABLE } from "../support/global-tables-rig.ts";

const EAST = "us-east-1";
const WEST = "us-west-2";

const put = (pk: string, extra: Record<string, unknown> = {}) => ({
  TableName: TABLE,
  Item: { pk: { S: pk }, ...extra },
});

test("a write in one region appears in the other only after the lag", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions as [(typeof rig.regions)[0], (typeof rig.regions)[0]];
  east.call("PutItem", put("a", { msg: { S: "hello from east" } }));
  await rig.clock.advance(999);
  await rig.replication.settled();
  assert.equal(west.get("a"), undefined, "not before the lag");
  const [status] = rig.replication.status().filter((s) => s.from === EAST);
  assert.deepEqual(status, { from: EAST, to: WEST, waiting: 1, oldestAgeMs: 999 });
  await rig.clock.advance(1);
  await rig.replication.settled();
  assert.deepEqual(west.get("a"), { pk: { S: "a" }, msg: { S: "hello from east" } });
  assert.deepEqual(
    rig.events.filter((e) => e.type === "replicated"),
    [{ type: "replicated", table: TABLE, from: EAST, to: WEST, count: 1 }],
  );
  const after = rig.replication.status().find((s) => s.from === EAST);
  assert.equal(after?.waiting, 0);
  assert.equal(after?.lastReplicatedAt, rig.clock.now());
});

test("the clock alone delivers: a timer fires at the write's time plus the lag", async () => {
  const rig = globalTablesRig([EAST, WEST], { lagMs: 250 });
  const west = rig.regions[1];
  rig.regions[0]?.call("PutItem", put("timed"));
  await rig.clock.advance(249);
  assert.equal(west?.get("timed"), undefined);
  await rig.clock.advance(1);
  assert.ok(west?.get("timed"), "applied by the replication's own timer, without settled()");
});

test("concurrent writes to one key resolve last writer wins, identically in every region", async () => {
  const rig = globalTablesRig([EAST, WEST, "eu-west-1"]);
  const [east, west, eu] = rig.regions;
  east?.call("PutItem", put("k", { v: { S: "east" } }));
  await rig.clock.advance(10);
  west?.call("PutItem", put("k", { v: { S: "west, 10 ms later" } }));
  await rig.clock.advance(5);
  eu?.call("PutItem", put("k", { v: { S: "eu, 15 ms later" } }));
  await rig.clock.advance(2000);
  await rig.replication.settled();
  for (const region of rig.regions)
    assert.deepEqual(region.get("k")?.v, { S: "eu, 15 ms later" }, `${region.region} agrees`);

  // The same millisecond: the greater region name wins everywhere (us-west-2 > us-east-1 > eu-west-1).
  east?.call("PutItem", put("tie", { v: { S: "east" } }));
  west?.call("PutItem", put("tie", { v: { S: "west" } }));
  eu?.call("PutItem", put("tie", { v: { S: "eu" } }));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  for (const region of rig.regions) assert.deepEqual(region.get("tie")?.v, { S: "west" }, region.region);
});

test("a write made over a replicated version of the same millisecond still wins everywhere", async () => {
  const rig = globalTablesRig([EAST, WEST], { lagMs: 0 });
  const [east, west] = rig.regions;
  west?.call("PutItem", put("hlc", { v: { S: "west" } }));
  await rig.replication.settled();
  assert.deepEqual(east?.get("hlc")?.v, { S: "west" });
  // East writes in the same millisecond after it received west's write: its own write must win.
  east?.call("PutItem", put("hlc", { v: { S: "east, after" } }));
  await rig.replication.settled();
  assert.deepEqual(west?.get("hlc")?.v, { S: "east, after" });
  assert.deepEqual(east?.get("hlc")?.v, { S: "east, after" });
});

test("a delete beats an older put that arrives later, and its tombstone keeps the item away", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  east?.call("PutItem", put("x", { v: { N: "1" } }));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.ok(west?.get("x"));
  east?.call("PutItem", put("x", { v: { N: "2" } }));
  await rig.clock.advance(100);
  west?.call("DeleteItem", { TableName: TABLE, Key: { pk: { S: "x" } } });
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.equal(west?.get("x"), undefined, "the older put did not resurrect the item in west");
  assert.equal(east?.get("x"), undefined, "the later delete reached east");
  const removed = east?.changes.at(-1);
  assert.equal(removed?.eventName, "REMOVE");
  assert.deepEqual(removed?.oldImage, { pk: { S: "x" }, v: { N: "2" } });
});

test("pause keeps writes queued; resume delivers them", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  rig.replication.pause();
  assert.equal(rig.replication.paused, true);
  for (let i = 0; i < 3; i++) east?.call("PutItem", put(`p${i}`));
  await rig.clock.advance(60_000);
  await rig.replication.settled();
  assert.equal(west?.get("p0"), undefined);
  const waiting = rig.replication.status().find((s) => s.from === EAST);
  assert.equal(waiting?.waiting, 3);
  assert.equal(waiting?.oldestAgeMs, 60_000);
  assert.ok(
    rig.events.some((e) => e.type === "replication-lagging" && e.from === EAST && e.waiting === 3),
    JSON.stringify(rig.events),
  );
  rig.replication.resume();
  await rig.replication.settled();
  for (let i = 0; i < 3; i++) assert.ok(west?.get(`p${i}`), `p${i} delivered`);
  assert.deepEqual(
    rig.events.map((e) => e.type),
    [
      "replication-paused",
      "replication-lagging",
      "replication-resumed",
      "replicated",
      "replication-caught-up",
    ],
  );
});

test("a crash of the source before replicating loses no acknowledged write", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  east?.call("PutItem", put("durable", { v: { S: "acknowledged" } }));
  east?.call("TransactWriteItems", {
    TransactItems: [{ Put: put("t1") }, { Put: put("t2") }],
  });
  // Crash: the file closes without the replication ever running; the replication restarts too.
  east?.crash();
  await rig.restartReplication();
  await rig.clock.advance(5000);
  await rig.replication.settled();
  assert.equal(west?.get("durable"), undefined, "nothing replicates while the source is closed");
  east?.reopen();
  await rig.replication.settled();
  assert.deepEqual(west?.get("durable")?.v, { S: "acknowledged" });
  assert.ok(west?.get("t1") && west.get("t2"), "a transaction replicates item by item");
});

test("a crash of the target after applying repeats nothing", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  east?.call("PutItem", put("once"));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  west?.crash();
  west?.reopen();
  await rig.restartReplication();
  await rig.clock.advance(10_000);
  await rig.replication.settled();
  assert.equal(west?.changes.filter((c) => c.eventName === "INSERT").length, 1, "applied once");
});

test("replicated writes are never replicated again (no loop)", async () => {
  const rig = globalTablesRig([EAST, WEST, "eu-west-1"]);
  rig.regions[0]?.call("PutItem", put("loop", { n: { N: "1" } }));
  rig.regions[0]?.call("UpdateItem", {
    TableName: TABLE,
    Key: { pk: { S: "loop" } },
    UpdateExpression: "SET n = n + :one",
    ExpressionAttributeValues: { ":one": { N: "1" } },
  });
  for (let i = 0; i < 10; i++) {
    await rig.clock.advance(1000);
    await rig.replication.settled();
  }
  for (const region of rig.regions) {
    assert.equal(region.changes.length, 2, `${region.region}: one INSERT and one MODIFY, no echo`);
    assert.deepEqual(region.get("loop")?.n, { N: "2" });
  }
  const replicated = rig.events.filter((e) => e.type === "replicated");
  assert.equal(
    replicated.reduce((sum, e) => sum + (e.type === "replicated" ? e.count : 0), 0),
    4,
  );
  for (const status of rig.replication.status()) assert.equal(status.waiting, 0);
});

test("replicated writes appear in the target's stream with the right images", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  east?.call("PutItem", put("s", { v: { N: "1" } }));
  east?.call("PutItem", put("s", { v: { N: "2" } }));
  east?.call("DeleteItem", { TableName: TABLE, Key: { pk: { S: "s" } } });
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.deepEqual(
    west?.changes.map((c) => [c.eventName, c.oldImage ?? null, c.newImage ?? null, c.userIdentity ?? null]),
    [
      ["INSERT", null, { pk: { S: "s" }, v: { N: "1" } }, null],
      ["MODIFY", { pk: { S: "s" }, v: { N: "1" } }, { pk: { S: "s" }, v: { N: "2" } }, null],
      ["REMOVE", { pk: { S: "s" }, v: { N: "2" } }, null, null],
    ],
  );
  assert.equal(west?.changes[0]?.viewType, "NEW_AND_OLD_IMAGES");
  assert.ok(
    !JSON.stringify(west?.get("s") ?? {}).includes("aws:rep"),
    "version 2019.11.21 adds no aws:rep:* attributes",
  );
});

test("a conditional write is evaluated only in the region that took it", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  west?.call("PutItem", put("c", { v: { S: "west first" } }));
  await rig.clock.advance(10);
  // East has no item yet, so its condition holds there; west's item does not stop it arriving.
  east?.call("PutItem", {
    ...put("c", { v: { S: "east, conditional" } }),
    ConditionExpression: "attribute_not_exists(pk)",
  });
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.deepEqual(west?.get("c")?.v, { S: "east, conditional" });
  assert.deepEqual(east?.get("c")?.v, { S: "east, conditional" });
});

test("TTL expires a global table's item in the first region; the others receive the delete", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  const expiresAt = Math.floor(rig.clock.now() / 1000) + 60;
  west?.call("PutItem", put("ttl", { expiresAt: { N: String(expiresAt) } }));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.ok(east?.get("ttl"));
  await rig.clock.advance(120_000);
  assert.equal(west?.service?.expireItems(), 0, "west leaves global tables' expiry to east");
  assert.equal(east?.service?.expireItems(), 1);
  const ttlRemove = east?.changes.at(-1);
  assert.equal(ttlRemove?.eventName, "REMOVE");
  assert.equal(ttlRemove?.userIdentity?.type, "Service");
  assert.ok(west?.get("ttl"), "still in west until the delete arrives");
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.equal(west?.get("ttl"), undefined);
  const replicatedRemove = west?.changes.at(-1);
  assert.equal(replicatedRemove?.eventName, "REMOVE");
  assert.equal(
    replicatedRemove?.userIdentity,
    undefined,
    "a replicated TTL delete carries no service identity",
  );
});

test("a regional table is not replicated", async () => {
  const regional = { ...GLOBAL_TABLE, name: "local", tableName: "app-local" };
  delete (regional as { global?: true }).global;
  const rig = globalTablesRig([EAST, WEST], { tables: [GLOBAL_TABLE, regional] });
  const [east, west] = rig.regions;
  east?.call("PutItem", { TableName: "app-local", Item: { pk: { S: "r" } } });
  await rig.clock.advance(5000);
  await rig.replication.settled();
  const got = west?.call("GetItem", { TableName: "app-local", Key: { pk: { S: "r" } } });
  assert.equal(got?.Item, undefined);
  assert.deepEqual(
    rig.replication.status().map((s) => s.waiting),
    [0, 0],
  );
});

test("a backlog is applied in slices on the clock, and settled() applies all of it", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  rig.replication.pause();
  for (let i = 0; i < 5200; i++) east?.call("PutItem", put(`b${i}`));
  await rig.clock.advance(1000);
  const count = () => Number(west?.call("Scan", { TableName: TABLE, Select: "COUNT" }).Count);
  rig.replication.resume();
  assert.equal(count(), 5000, "one pass applies ten transactions of 500, then yields");
  await rig.clock.advance(0);
  assert.equal(count(), 5200, "the next pass, due at once, applies the rest");
  east?.call("PutItem", put("after"));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.equal(count(), 5201);
});

test("a region whose file closed under the replication is reported, not thrown, and catches up when reopened", async () => {
  const rig = globalTablesRig([EAST, WEST]);
  const [east, west] = rig.regions;
  assert.ok(east && west);
  const stale = west.service;
  west.crash();
  west.service = stale; // still handed out, its file closed
  east.call("PutItem", put("closed"));
  await rig.clock.advance(1000);
  await rig.replication.settled();
  assert.ok(
    rig.events.some((e) => e.type === "replication-error" && e.from === EAST && e.to === WEST),
    JSON.stringify(rig.events),
  );
  west.reopen();
  await rig.replication.settled();
  assert.ok(west.get("closed"));
});

test("tables with different replica regions replicate independently, each in its own queue", async () => {
  const other = { ...GLOBAL_TABLE, name: "other", tableName: "app-other" };
  const rig = globalTablesRig([EAST, WEST, "eu-west-1"], { tables: [GLOBAL_TABLE, other] });
  await rig.replication.close();
  const [east, west, eu] = rig.regions;
  assert.ok(east && west && eu);
  // As `sluice cloud` runs them: one replication per set of replica regions.
  const replications = [
    { regions: [east, west], tables: [TABLE] },
    { regions: [east, west, eu], tables: ["app-other"] },
  ].map(
    ({ regions, tables }) =>
      new GlobalTableReplication({
        regions: regions.map((r) => ({ region: r.region, dynamodb: () => r.service })),
        tables: () => tables,
        clock: rig.clock,
      }),
  );
  for (const replication of replications) replication.start();
  east.call("PutItem", { TableName: "app-other", Item: { pk: { S: "o1" } } });
  east.call("PutItem", put("h1"));
  await rig.clock.advance(1000);
  for (const replication of replications) await replication.settled();
  const has = (region: typeof east, table: string, pk: string) =>
    region.call("GetItem", { TableName: table, Key: { pk: { S: pk } } }).Item !== undefined;
  assert.ok(has(west, TABLE, "h1") && has(west, "app-other", "o1"), "west has both tables' writes");
  assert.ok(has(eu, "app-other", "o1"), "eu has the table it is a replica of");
  assert.ok(!has(eu, TABLE, "h1"), "and not the other one");
  for (const replication of replications) {
    for (const status of replication.status()) assert.equal(status.waiting, 0, JSON.stringify(status));
    await replication.close();
  }
});

test("DescribeTable of a replica shows the version and the other replicas", async () => {
  const regional = { ...GLOBAL_TABLE, name: "local", tableName: "app-local" };
  delete (regional as { global?: true }).global;
  const rig = globalTablesRig([EAST, WEST, "eu-west-1"], { tables: [GLOBAL_TABLE, regional] });
  const table = rig.regions[0]?.call("DescribeTable", { TableName: TABLE }).Table as Record<string, unknown>;
  assert.equal(table.GlobalTableVersion, "2019.11.21");
  assert.deepEqual(table.Replicas, [
    { RegionName: WEST, ReplicaStatus: "ACTIVE" },
    { RegionName: "eu-west-1", ReplicaStatus: "ACTIVE" },
  ]);
  const local = rig.regions[0]?.call("DescribeTable", { TableName: "app-local" }).Table as Record<
    string,
    unknown
  >;
  assert.equal(local.GlobalTableVersion, undefined);
  assert.equal(local.Replicas, undefined);
});
