/**
 * The definition's tables brought into the engine: created when missing, otherwise brought to the
 * spec (global indexes added or dropped, stream on, off or changed, TTL, deletion protection)
 * keeping their items. A table whose key schema changed is replaced, as CloudFormation replaces
 * it. Tables created through the API are left as they are, and so are (with their items) tables
 * the definition stops declaring.
 */
import { randomUUID } from "node:crypto";
import type { KeyAttributeSpec, TableSpec } from "../../model/app-spec.ts";
import { type Engine, inTransaction, tableArn } from "./engine.ts";
import { newStream, withStream } from "./table-admin.ts";
import type { IndexMeta, KeyAttribute, TableMeta } from "./table-meta.ts";
import { setTimeToLive } from "./time-to-live.ts";

function attribute(spec: KeyAttributeSpec): KeyAttribute {
  return { name: spec.name, type: spec.type };
}

function indexesOf(spec: TableSpec): IndexMeta[] {
  return Object.values(spec.indexes).map((index) => ({
    name: index.name,
    kind: index.kind,
    partitionKey: attribute(index.partitionKey),
    sortKey: index.sortKey === undefined ? undefined : attribute(index.sortKey),
    projection:
      index.projection.type === "INCLUDE"
        ? { type: "INCLUDE", nonKeyAttributes: [...index.projection.nonKeyAttributes] }
        : { type: index.projection.type },
  }));
}

function definitionsOf(spec: TableSpec, indexes: readonly IndexMeta[]): TableMeta["attributeDefinitions"] {
  const types = new Map<string, KeyAttribute["type"]>();
  for (const key of [
    spec.partitionKey,
    spec.sortKey,
    ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ]) {
    if (key !== undefined && !types.has(key.name)) types.set(key.name, key.type);
  }
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function sameKey(a: KeyAttribute | undefined, b: KeyAttributeSpec | undefined): boolean {
  return a?.name === b?.name && a?.type === b?.type;
}

function sameIndex(a: IndexMeta, b: IndexMeta): boolean {
  return (
    JSON.stringify([a.kind, a.partitionKey, a.sortKey ?? null, a.projection]) ===
    JSON.stringify([b.kind, b.partitionKey, b.sortKey ?? null, b.projection])
  );
}

function create(engine: Engine, spec: TableSpec): TableMeta {
  const arn = tableArn(engine, spec.tableName);
  const indexes = indexesOf(spec);
  const meta: TableMeta = {
    id: engine.tables.allocate(spec.tableName),
    name: spec.tableName,
    arn,
    tableId: randomUUID(),
    partitionKey: attribute(spec.partitionKey),
    sortKey: spec.sortKey === undefined ? undefined : attribute(spec.sortKey),
    attributeDefinitions: definitionsOf(spec, indexes),
    indexes,
    billingMode: "PAY_PER_REQUEST",
    stream: spec.stream === undefined ? undefined : newStream(engine, arn, spec.stream, spec.streamLabel),
    pastStreams: [],
    ttl: spec.ttlAttribute === undefined ? undefined : { attribute: spec.ttlAttribute, enabled: true },
    tags: {},
    deletionProtection: spec.deletionProtection,
    createdAt: engine.clock.now(),
    defined: true,
    global: spec.global,
  };
  engine.tables.save(meta);
  return meta;
}

function reconcile(engine: Engine, table: TableMeta, spec: TableSpec): void {
  let next: TableMeta = {
    ...table,
    defined: true,
    deletionProtection: spec.deletionProtection,
    // A table the definition no longer calls global is regional again: the replication no
    // longer lists it, so nothing would take its writes from the outbox.
    ...(spec.global === true
      ? { global: true }
      : { global: undefined, replicaRegions: undefined, ttlRegion: undefined }),
  };
  const wanted = indexesOf(spec);
  for (const index of table.indexes) {
    const match = wanted.find((candidate) => candidate.name === index.name);
    if (match === undefined || !sameIndex(index, match)) {
      engine.items.dropIndex(table, index.name);
      next = { ...next, indexes: next.indexes.filter((existing) => existing.name !== index.name) };
    }
  }
  for (const index of wanted) {
    if (next.indexes.some((existing) => existing.name === index.name)) continue;
    next = { ...next, indexes: [...next.indexes, index] };
    engine.items.backfillIndex(next, index);
  }
  next = { ...next, attributeDefinitions: definitionsOf(spec, next.indexes) };
  if (next.stream?.viewType !== spec.stream)
    next = withStream(engine, next, spec.stream ?? null, spec.streamLabel);
  engine.tables.save(next);
  const ttl = next.ttl?.enabled === true ? next.ttl.attribute : undefined;
  if (ttl !== spec.ttlAttribute) setTimeToLive(engine, next, spec.ttlAttribute);
}

export function ensureTables(engine: Engine, specs: readonly TableSpec[]): void {
  inTransaction(engine, () => {
    // A table the definition no longer declares keeps its items; it is now the API's.
    const declared = new Set(specs.map((spec) => spec.tableName));
    for (const table of engine.tables.all()) {
      if (table.defined && !declared.has(table.name)) engine.tables.save({ ...table, defined: false });
    }
    for (const spec of specs) {
      const existing = engine.tables.find(spec.tableName);
      if (
        existing !== undefined &&
        sameKey(existing.partitionKey, spec.partitionKey) &&
        sameKey(existing.sortKey, spec.sortKey)
      ) {
        reconcile(engine, existing, spec);
        continue;
      }
      if (existing !== undefined) {
        engine.items.dropTable(existing);
        engine.tables.remove(existing);
      }
      create(engine, spec);
    }
  });
}
