/** What `streams()` and `tables()` tell the rest of the local cloud about the tables. */

import type { Engine } from "./engine.ts";
import type { TableStreamInfo, TableSummary } from "./service-types.ts";
import { RETENTION_MS } from "./streams/table-streams.ts";
import { keySchemaOf, type StreamMeta, type TableMeta } from "./table-meta.ts";

function info(table: TableMeta, stream: StreamMeta, status: "ENABLED" | "DISABLED"): TableStreamInfo {
  return {
    tableName: table.name,
    streamArn: stream.arn,
    streamLabel: stream.label,
    viewType: stream.viewType,
    keySchema: keySchemaOf(table),
    status,
    createdAt: stream.createdAt,
  };
}

export function streamInfos(engine: Engine): TableStreamInfo[] {
  const now = engine.clock.now();
  return engine.tables
    .all()
    .flatMap((table) => [
      ...table.pastStreams
        .filter((stream) => (stream.disabledAt ?? now) + RETENTION_MS > now)
        .map((stream) => info(table, stream, "DISABLED")),
      ...(table.stream === undefined ? [] : [info(table, table.stream, "ENABLED")]),
    ]);
}

export function tableSummaries(engine: Engine): TableSummary[] {
  return engine.tables.all().map((table) => {
    const counts = engine.tables.counts(table);
    return {
      tableName: table.name,
      itemCount: counts.itemCount,
      sizeBytes: counts.sizeBytes,
      ...(table.stream === undefined
        ? {}
        : { stream: { viewType: table.stream.viewType, streamArn: table.stream.arn } }),
      ...(table.ttl?.enabled === true ? { ttlAttribute: table.ttl.attribute } : {}),
      defined: table.defined,
    };
  });
}
