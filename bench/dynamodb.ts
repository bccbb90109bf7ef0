/**
 * `npm run bench -- dynamodb` (issue 15 §6). One `@aws-sdk/client-dynamodb` client, calls one at a
 * time: PutItem, GetItem and Query (10 items of ~150 bytes), after every target has been warmed up
 * with BENCH_DYNAMODB_WARM (1,000) calls of each, against `sluice dev` in its own
 * process, against AWS's DynamoDB Local (Java, in memory) and dynalite (Node.js, in memory), and
 * against a server answering canned responses (the most the SDK itself allows), in rounds that
 * alternate between the four so a change in the machine's load meets all of them. Then the write →
 * stream-driven handler latency in `sluice dev` (p50 of PutItem sent → handler running), and a
 * Query on a 100,000-item table (BENCH_DYNAMODB_ITEMS to change the size) on each. In the same
 * rounds, "SQLite floor": a server doing only the SQLite work of each call (FLOOR_SERVER), the
 * least a server that commits every write can cost on this machine.
 * BENCH_DYNAMODB_OTHERS=0 leaves DynamoDB Local and dynalite out (A/B runs of Sluice's own speed);
 * BENCH_DYNAMODB_A_ROOT=<another checkout, built> adds its `sluice dev` as a fifth target ("sluice A"),
 * in the same alternating rounds, so a change is judged against the tree before it under one load;
 * BENCH_DEV_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the dev process;
 * BENCH_DEV_NODE_ARGS_A gives the A tree's dev its own (default: the same), so a Node or V8 flag
 * can be judged against the same tree without it (BENCH_DYNAMODB_A_ROOT=. for that).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { startDynamoDbLocal } from "../test/support/dynamodb-local.ts";
import { startProcess, stopChild } from "./child-process.ts";
import { type HandlerArrivals, latencyFigures, startHandlerArrivals } from "./handler-arrivals.ts";
import { processCpuUs } from "./process-cpu.ts";
import { median, percentile } from "./stats.ts";

const OPS = Number(process.env.BENCH_DYNAMODB_OPS ?? 2000);
const WARMUP = 200;
const WARM_CALLS = Number(process.env.BENCH_DYNAMODB_WARM ?? 1000);
const ROUNDS = 10;
const ITEMS = Number(process.env.BENCH_DYNAMODB_ITEMS ?? 100_000);
const STREAM_WRITES = 200;
const OTHERS = process.env.BENCH_DYNAMODB_OTHERS !== "0";
const A_ROOT = process.env.BENCH_DYNAMODB_A_ROOT;
const ROOT = join(import.meta.dirname, "..");
/** The physical name of the bench app's table (`${app}-${name}`), used on every target. */
const TABLE = "bench-items";
/** The bench app's streamed table, whose stream a function consumes (Sluice only). */
const STREAMED_TABLE = "bench-changes";
const DATA = "d".repeat(100);

const item = (pk: string, sk: number) => ({ pk: { S: pk }, sk: { N: String(sk) }, data: { S: DATA } });
const TEN_ITEMS = Array.from({ length: 10 }, (_, i) => item("p0", i));

/** A server process that answers every DynamoDB call with a canned, valid JSON response. */
const CANNED_SERVER = `
const answers = {
  "DynamoDB_20120810.PutItem": {},
  "DynamoDB_20120810.GetItem": { Item: ${JSON.stringify(item("p0", 0))} },
  "DynamoDB_20120810.Query": { Items: ${JSON.stringify(TEN_ITEMS)}, Count: 10, ScannedCount: 10 },
  "DynamoDB_20120810.CreateTable": { TableDescription: { TableName: "${TABLE}", TableStatus: "ACTIVE" } },
  "DynamoDB_20120810.BatchWriteItem": { UnprocessedItems: {} },
};
const server = require("node:http").createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const body = JSON.stringify(answers[req.headers["x-amz-target"]] ?? {});
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => console.log("listening http://127.0.0.1:" + server.address().port));
`;

/**
 * The least a durable DynamoDB server costs here: Node `http`, JSON.parse of the body, Sluice's
 * item table layout (key columns, the item's text and size, WITHOUT ROWID) with the same pragmas
 * (WAL, synchronous=NORMAL, exclusive lock), each write committed before it answers, stored text
 * answered as it is, and no checks at all (no validation, signature, IAM or capacity). What Sluice
 * adds over it is its own per-call work; what it cannot do better than is this.
 */
const FLOOR_SERVER = `
const Database = require(${JSON.stringify(join(ROOT, "node_modules", "better-sqlite3"))});
const { mkdtempSync } = require("node:fs");
const { join } = require("node:path");
const { tmpdir } = require("node:os");
const db = new Database(join(mkdtempSync(join(tmpdir(), "sluice-bench-floor-")), "floor.sqlite"));
db.pragma("locking_mode = EXCLUSIVE");
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec("CREATE TABLE items (table_id INTEGER NOT NULL, hash INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item TEXT NOT NULL, size INTEGER NOT NULL, ttl REAL, PRIMARY KEY (table_id, hash, pk, sk)) WITHOUT ROWID");
const put = db.prepare("INSERT OR REPLACE INTO items VALUES (1, ?, ?, ?, ?, ?, NULL)");
const get = db.prepare("SELECT item FROM items WHERE table_id = 1 AND hash = ? AND pk = ? AND sk = ?");
const query = db.prepare("SELECT item, size FROM items WHERE table_id = 1 AND hash = ? AND pk = ? ORDER BY sk ASC");
const hash = (text) => { let h = 0; for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0; return h; };
const sortKey = (n) => { const b = Buffer.alloc(8); b.writeDoubleBE(Number(n)); return b; };
const answer = (input, target) => {
  if (target === "DynamoDB_20120810.PutItem") {
    const text = JSON.stringify(input.Item);
    put.run(hash(input.Item.pk.S), Buffer.from(input.Item.pk.S), sortKey(input.Item.sk.N), text, text.length);
    return "{}";
  }
  if (target === "DynamoDB_20120810.GetItem") {
    const row = get.get(hash(input.Key.pk.S), Buffer.from(input.Key.pk.S), sortKey(input.Key.sk.N));
    return row === undefined ? "{}" : '{"Item":' + row.item + "}";
  }
  if (target === "DynamoDB_20120810.Query") {
    const pk = input.ExpressionAttributeValues[":pk"].S;
    const items = [];
    for (const row of query.iterate(hash(pk), Buffer.from(pk))) {
      items.push(row.item);
      if (items.length >= input.Limit) break;
    }
    const last = items.length === input.Limit ? JSON.parse(items[items.length - 1]) : undefined;
    const key = last === undefined ? "" : ',"LastEvaluatedKey":' + JSON.stringify({ pk: last.pk, sk: last.sk });
    return '{"Items":[' + items.join(",") + '],"Count":' + items.length + ',"ScannedCount":' + items.length + key + "}";
  }
  return JSON.stringify({ TableDescription: { TableName: "${TABLE}", TableStatus: "ACTIVE" } });
};
const server = require("node:http").createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = answer(JSON.parse(Buffer.concat(chunks).toString()), req.headers["x-amz-target"]);
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => console.log("listening http://127.0.0.1:" + server.address().port));
`;

/** dynalite in its own process, in memory, tables ACTIVE at once. */
const DYNALITE_SERVER = `
const server = require(${JSON.stringify(join(ROOT, "node_modules", "dynalite"))})({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, "127.0.0.1", () => console.log("listening http://127.0.0.1:" + server.address().port));
`;

interface Target {
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

function client(url: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
  });
}

async function processTarget(name: string, args: string[], ready: RegExp): Promise<Target> {
  const { child, url } = await startProcess(args, ready);
  const c = client(url);
  return {
    name,
    url,
    pid: child.pid,
    client: c,
    stop: async () => {
      c.destroy();
      await stopChild(child);
    },
  };
}

/**
 * The bench app: `items`, the table every target gets (no stream, as on the others), and `changes`,
 * whose stream `onChange` consumes; the handler tells the bench (an HTTP server of this process)
 * the sort key of every record it receives, at once.
 */
function writeTableApp(notifyUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-dynamodb-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "src", "on-change.ts"),
    `export async function handler(event: { Records: { dynamodb: { Keys: { sk: { N: string } } } }[] }) {
  const keys = event.Records.map((r) => r.dynamodb.Keys.sk.N);
  await fetch(${JSON.stringify(notifyUrl)}, { method: "POST", body: JSON.stringify(keys) });
}
`,
  );
  writeFileSync(
    join(dir, "sluice.config.ts"),
    `import { defineApp } from "sluice";
export default defineApp({
  name: "bench",
  tables: {
    items: { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "N" } },
    changes: { partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "N" }, stream: "NEW_IMAGE" },
  },
  functions: {
    onChange: { handler: "src/on-change.handler", consumes: { table: "changes", batchSize: 100, startingPosition: "LATEST" } },
  },
});
`,
  );
  return dir;
}

/** The benchmark's key schema (pk S, sk N), on demand. */
async function createTable(target: Target, name = TABLE): Promise<void> {
  await target.client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "N" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

interface Side {
  ms: number;
  serverCpuUs: number;
}

const OPERATIONS = {
  PutItem: (c: DynamoDBClient, i: number) =>
    c.send(new PutItemCommand({ TableName: TABLE, Item: item(`p${i % 100}`, i) })),
  GetItem: (c: DynamoDBClient, i: number) =>
    c.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { pk: { S: `p${i % 100}` }, sk: { N: String(i % 1000) } },
      }),
    ),
  Query: (c: DynamoDBClient, i: number) =>
    c.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: `p${i % 100}` } },
        Limit: 10,
      }),
    ),
} as const;

/**
 * Before any measured round, each target takes WARM_CALLS of each operation, interleaved. A
 * server's first few thousand calls run unoptimised code while the JIT compiles: a fresh `sluice
 * dev` spent ~1,000 µs of CPU per PutItem over its first 500 calls and ~300 µs after 4,000, a cost
 * that otherwise fell on whichever operation was measured first (PutItem). Warm-up writes go to
 * partitions of their own, so each measured PutItem still inserts a new item.
 */
async function warmUp(targets: readonly Target[]): Promise<void> {
  for (const t of targets) {
    for (let i = 0; i < WARM_CALLS; i++) {
      await t.client.send(new PutItemCommand({ TableName: TABLE, Item: item(`warm${i % 100}`, i) }));
      await OPERATIONS.GetItem(t.client, i);
      await OPERATIONS.Query(t.client, i);
    }
  }
}

async function throughput(targets: readonly Target[]): Promise<void> {
  await warmUp(targets);
  console.log(
    `1 client, calls one at a time; every target warmed up with ${WARM_CALLS} calls of each operation, then ${OPS} of each after ${WARMUP} more, in ${ROUNDS} rounds alternating between the targets; items ~150 bytes, Query answers 10`,
  );
  for (const [op, run] of Object.entries(OPERATIONS)) {
    const sides = new Map<Target, Side>(targets.map((t) => [t, { ms: 0, serverCpuUs: 0 }]));
    for (const t of targets) for (let i = 0; i < WARMUP; i++) await run(t.client, i);
    for (let r = 0; r < ROUNDS; r++) {
      for (const t of targets) {
        const side = sides.get(t) as Side;
        const cpu = processCpuUs(t.pid) ?? Number.NaN;
        const started = performance.now();
        for (let i = r * (OPS / ROUNDS); i < (r + 1) * (OPS / ROUNDS); i++) await run(t.client, WARMUP + i);
        side.ms += performance.now() - started;
        side.serverCpuUs += (processCpuUs(t.pid) ?? Number.NaN) - cpu;
      }
    }
    const rate = (t: Target) => OPS / ((sides.get(t) as Side).ms / 1000);
    const ceiling = rate(targets[0] as Target);
    console.log(`  ${op}`);
    for (const t of targets) {
      const cpu = (sides.get(t) as Side).serverCpuUs / OPS;
      const share =
        t === targets[0] ? "" : `  ${((rate(t) / ceiling) * 100).toFixed(0).padStart(3)}% of the ceiling`;
      const cpuText = Number.isNaN(cpu) ? "" : `, server CPU ${cpu.toFixed(0)} µs/call`;
      console.log(`    ${t.name.padEnd(16)} ${rate(t).toFixed(0).padStart(6)} ops/s${share}${cpuText}`);
    }
  }
}

/** Loads ITEMS items (1,000 partitions) with 4 concurrent BatchWriteItem streams, then times Queries. */
async function bigTable(targets: readonly Target[]): Promise<void> {
  const partitions = Math.max(1, Math.round(ITEMS / 100));
  const perPartition = Math.ceil(ITEMS / partitions);
  console.log(
    `a table of ${ITEMS} items (${partitions} partitions of ${perPartition}), loaded by 4 concurrent BatchWriteItem callers; then 200 Queries of one whole partition and 200 with Limit 10 and a filter`,
  );
  for (const t of targets.slice(1).filter((target) => target.name !== "SQLite floor")) {
    const table = `${TABLE}-big`;
    await createTable(t, table);
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < ITEMS; i += 25) {
      batches.push(
        Array.from({ length: Math.min(25, ITEMS - i) }, (_, j) => {
          const n = i + j;
          return { PutRequest: { Item: item(`p${n % partitions}`, Math.floor(n / partitions)) } };
        }),
      );
    }
    const loadStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) {
          let requests = batches[next++] as Record<string, unknown>[];
          while (requests.length > 0) {
            const out = await t.client.send(
              new BatchWriteItemCommand({ RequestItems: { [table]: requests as never } }),
            );
            requests = (out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined) ?? [];
          }
        }
      }),
    );
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const times = async (input: (i: number) => Record<string, unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < 200; i++) {
        const started = performance.now();
        await t.client.send(new QueryCommand({ TableName: table, ...input(i) } as never));
        samples.push(performance.now() - started);
      }
      return samples;
    };
    const whole = await times((i) => ({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: `p${(i * 7) % partitions}` } },
    }));
    const filtered = await times((i) => ({
      KeyConditionExpression: "pk = :pk AND sk >= :from",
      FilterExpression: "begins_with(#d, :d)",
      ExpressionAttributeNames: { "#d": "data" },
      ExpressionAttributeValues: {
        ":pk": { S: `p${(i * 7) % partitions}` },
        ":from": { N: "10" },
        ":d": { S: "d" },
      },
      Limit: 10,
    }));
    const ms = (v: number) => `${v.toFixed(2)} ms`;
    console.log(
      `  ${t.name.padEnd(16)} load ${(ITEMS / loadSeconds).toFixed(0).padStart(6)} items/s (${loadSeconds.toFixed(1)} s); Query of ${perPartition} items p50 ${ms(median(whole))} p99 ${ms(percentile(whole, 99))}; Limit 10 + filter p50 ${ms(median(filtered))} p99 ${ms(percentile(filtered, 99))}`,
    );
  }
}

/** PutItem sent → the stream-driven handler running with that record, in `sluice dev`. */
async function streamLatency(sluice: Target, arrivals: HandlerArrivals): Promise<void> {
  const samples = await arrivals.measure("write → stream handler", STREAM_WRITES, async (i) => {
    const sk = String(10_000_000 + i);
    await sluice.client.send(
      new PutItemCommand({ TableName: STREAMED_TABLE, Item: item("stream", Number(sk)) }),
    );
    return sk;
  });
  if (samples === undefined) return;
  console.log(
    `write → stream-driven handler (sluice dev, ${STREAM_WRITES} writes one after another): ${latencyFigures(samples)}`,
  );
}

export async function run(): Promise<void> {
  const arrivals = await startHandlerArrivals();
  const dir = writeTableApp(arrivals.url);
  // The A tree's dev gets an app directory (and so a database file) of its own.
  const dirA = A_ROOT === undefined ? undefined : writeTableApp(arrivals.url);
  const targets: Target[] = [];
  try {
    targets.push(await processTarget("SDK ceiling", ["-e", CANNED_SERVER], /listening (http:\/\/\S+)/));
    const nodeArgs = process.env.BENCH_DEV_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const nodeArgsA = process.env.BENCH_DEV_NODE_ARGS_A?.split(" ").filter(Boolean) ?? nodeArgs;
    targets.push(
      await processTarget(
        "sluice dev",
        [...nodeArgs, join(ROOT, "bin", "sluice.js"), "dev", dir, "--no-watch"],
        /AWS endpoint\s+(http:\/\/\S+)/,
      ),
    );
    if (A_ROOT !== undefined && dirA !== undefined) {
      targets.push(
        await processTarget(
          "sluice A",
          [...nodeArgsA, join(A_ROOT, "bin", "sluice.js"), "dev", dirA, "--no-watch"],
          /AWS endpoint\s+(http:\/\/\S+)/,
        ),
      );
    }
    targets.push(await processTarget("SQLite floor", ["-e", FLOOR_SERVER], /listening (http:\/\/\S+)/));
    if (OTHERS) await startOthers(targets);
    // Sluice's tables come from the definition; the others are made through the API.
    for (const t of targets) if (!t.name.startsWith("sluice")) await createTable(t);
    await throughput(targets);
    await streamLatency(targets[1] as Target, arrivals);
    if (ITEMS > 0) await bigTable(targets);
  } finally {
    for (const t of targets) await t.stop();
    arrivals.close();
    rmSync(dir, { recursive: true, force: true });
    if (dirA !== undefined) rmSync(dirA, { recursive: true, force: true });
  }
}

/** DynamoDB Local (Java) and dynalite, the tools the issue compares Sluice with. */
async function startOthers(targets: Target[]): Promise<void> {
  const local = await startDynamoDbLocal();
  const localClient = client(local.url);
  targets.push({
    name: "DynamoDB Local",
    url: local.url,
    pid: local.pid,
    client: localClient,
    stop: async () => {
      localClient.destroy();
      await local.stop();
    },
  });
  targets.push(await processTarget("dynalite", ["-e", DYNALITE_SERVER], /listening (http:\/\/\S+)/));
}
