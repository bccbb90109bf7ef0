import { createHash, randomUUID } from "node:crypto";
import { LIMITS } from "../../../model/limits.ts";
import type { Clock } from "../../clock/index.ts";
import type { Db } from "../../store/index.ts";
import { statement } from "../engine.ts";
import type { Item } from "../expressions/index.ts";
import { itemSize } from "../item-size.ts";
import type { ItemChange, StreamSink } from "./item-change.ts";
import { keyHash } from "./key-hash.ts";
import { formatSequenceNumber } from "./sequence-number.ts";
import { keepsNewImage, keepsOldImage, type ShardRecord, type StreamRecord } from "./stream-record.ts";
import { migrateStreams } from "./stream-schema.ts";

/** Shards per stream: fixed, chosen by a hash of the partition key (limits.ts says why). */
export const SHARDS_PER_STREAM: number = LIMITS.dynamodbStreams.shardsPerStream.default;
export const RETENTION_MS: number = LIMITS.dynamodb.streamRetentionHours.default * 3600 * 1000;

export interface TableStreamsOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly region: string;
}

export interface ShardInfo {
  /** 0 … SHARDS_PER_STREAM-1. */
  readonly index: number;
  /** AWS's shape: `shardId-<20-digit creation ms>-<8 hex>`. */
  readonly shardId: string;
  readonly createdAt: number;
  /** The counter of the first record the shard can hold. */
  readonly startingSeq: number;
  /** The highest counter trimmed away (0 when nothing was). */
  readonly trimmedThrough: number;
}

/** A parallelization lane: the records whose item hash is `index` modulo `count`. */
export interface Lane {
  readonly index: number;
  readonly count: number;
}

interface RecordRow {
  seq: number;
  item_hash: number;
  created_at: number;
  event_id: string;
  event_name: StreamRecord["eventName"];
  view_type: StreamRecord["dynamodb"]["StreamViewType"];
  keys: string;
  new_image: string | null;
  old_image: string | null;
  size_bytes: number;
  user_identity: string | null;
}

interface ShardRow {
  shard: number;
  shard_id: string;
  created_at: number;
  starting_seq: number;
  trimmed_through: number;
}

/**
 * Every streamed table's records, in the app's SQLite file: the StreamSink the table engine writes
 * to inside each write's transaction, and what the Streams API and the stream event source
 * mappings read. Records live 24 hours on the clock; `trim()` removes older ones (called from a
 * sweep).
 */
export class TableStreams implements StreamSink {
  private readonly listeners = new Set<(streamArn: string) => void>();
  /** Per stream, records written whose listeners have not run yet (they run in a microtask). */
  private readonly unannounced = new Map<string, number>();
  private readonly insert;
  private readonly insertShard;
  private readonly nextSeq;

  constructor(private readonly options: TableStreamsOptions) {
    migrateStreams(options.db);
    const { db } = options;
    this.insert = db.prepare(
      `INSERT INTO dynamodb_stream_records
         (stream_arn, shard, item_hash, created_at, event_id, event_name, view_type, keys, new_image, old_image, size_bytes, user_identity)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertShard = db.prepare(
      `INSERT OR IGNORE INTO dynamodb_stream_shards (stream_arn, shard, shard_id, created_at, starting_seq)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.nextSeq = db.prepare(
      "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'dynamodb_stream_records'), 0) + 1 AS next",
    );
  }

  /** Called by the table engine inside the write's transaction: never awaits. */
  record(change: ItemChange): void {
    const now = this.options.clock.now();
    this.ensureShards(change.streamArn, now);
    const newImage = change.newImage && keepsNewImage(change.viewType) ? change.newImage : undefined;
    const oldImage = change.oldImage && keepsOldImage(change.viewType) ? change.oldImage : undefined;
    const shard = keyHash(change.keys, change.partitionKey) % SHARDS_PER_STREAM;
    this.insert.run(
      change.streamArn,
      shard,
      keyHash(change.keys),
      now,
      randomUUID().replaceAll("-", ""),
      change.eventName,
      change.viewType,
      JSON.stringify(change.keys),
      newImage ? JSON.stringify(newImage) : null,
      oldImage ? JSON.stringify(oldImage) : null,
      // SizeBytes: the DynamoDB item size of the Keys plus the images kept, by the engine's own rules
      // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html);
      // the Lambda guide's example, Keys {Id: N 101} and NewImage {Message: S "New item!", Id: N 101},
      // is 5 + 21 = 26 bytes (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
      itemSize(change.keys) + (newImage ? itemSize(newImage) : 0) + (oldImage ? itemSize(oldImage) : 0),
      change.userIdentity ? JSON.stringify(change.userIdentity) : null,
    );
    // Listeners run after the transaction, and a rolled-back write only wakes a poller for nothing.
    if (this.listeners.size > 0) {
      const arn = change.streamArn;
      this.unannounced.set(arn, (this.unannounced.get(arn) ?? 0) + 1);
      queueMicrotask(() => {
        const left = (this.unannounced.get(arn) ?? 1) - 1;
        if (left > 0) this.unannounced.set(arn, left);
        else this.unannounced.delete(arn);
        for (const listener of this.listeners) listener(arn);
      });
    }
  }

  /**
   * Records of the stream written whose listeners (the mappings' wake-ups) have not run yet: the
   * turn between a write and its pollers waking, which settling counts (StreamPoller.pendingWork).
   */
  unannouncedRecords(streamArn: string): number {
    return this.unannounced.get(streamArn) ?? 0;
  }

  /** Called with a stream's ARN after each record it gets; returns the unsubscribe. */
  onRecord(listener: (streamArn: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The stream's shards, made on first sight (a stream has its shards before its first record). */
  shards(streamArn: string): ShardInfo[] {
    this.ensureShards(streamArn, this.options.clock.now());
    const rows = statement(
      this.options.db,
      "SELECT shard, shard_id, created_at, starting_seq, trimmed_through FROM dynamodb_stream_shards WHERE stream_arn = ? ORDER BY shard",
    ).all(streamArn) as ShardRow[];
    return rows.map((r) => ({
      index: r.shard,
      shardId: r.shard_id,
      createdAt: r.created_at,
      startingSeq: r.starting_seq,
      trimmedThrough: r.trimmed_through,
    }));
  }

  /** Records of one shard (and lane) after `afterSeq`, oldest first, at most `limit` and `maxBytes`. */
  read(
    streamArn: string,
    shard: number,
    afterSeq: number,
    options: { readonly limit: number; readonly maxBytes?: number; readonly lane?: Lane },
  ): ShardRecord[] {
    const lane = options.lane && options.lane.count > 1 ? options.lane : undefined;
    // Prepared once per shape (statement()): a mapping's poller reads every shard on each turn.
    const rows = statement(
      this.options.db,
      `SELECT seq, item_hash, created_at, event_id, event_name, view_type, keys, new_image, old_image, size_bytes, user_identity
           FROM dynamodb_stream_records
          WHERE stream_arn = ? AND shard = ? AND seq > ?${lane ? " AND item_hash % ? = ?" : ""}
          ORDER BY seq LIMIT ?`,
    ).all(
      streamArn,
      shard,
      afterSeq,
      ...(lane ? [lane.count, lane.index] : []),
      options.limit,
    ) as RecordRow[];
    const records: ShardRecord[] = [];
    let bytes = 0;
    for (const row of rows) {
      const record = this.toRecord(row);
      bytes += row.size_bytes;
      // Like GetRecords, a page stops at its byte limit but always carries at least one record.
      if (options.maxBytes !== undefined && bytes > options.maxBytes && records.length > 0) break;
      records.push(record);
    }
    return records;
  }

  /** The highest counter written to the shard (or lane) so far; 0 when none. */
  lastSeq(streamArn: string, shard: number, lane?: Lane): number {
    const useLane = lane && lane.count > 1;
    const row = statement(
      this.options.db,
      `SELECT MAX(seq) AS seq FROM dynamodb_stream_records WHERE stream_arn = ? AND shard = ?${useLane ? " AND item_hash % ? = ?" : ""}`,
    ).get(streamArn, shard, ...(useLane ? [lane.count, lane.index] : [])) as { seq: number | null };
    if (row.seq !== null) return row.seq;
    const info = this.shards(streamArn).find((s) => s.index === shard);
    return Math.max((info?.startingSeq ?? 1) - 1, info?.trimmedThrough ?? 0);
  }

  /**
   * Removes records older than the 24-hour retention on the clock and remembers, per shard, how far
   * it trimmed (TrimmedDataAccessException). Returns the number removed.
   */
  trim(): number {
    const { db, clock } = this.options;
    const cutoff = clock.now() - RETENTION_MS;
    return db.transaction(() => {
      const trimmed = db
        .prepare(
          "SELECT stream_arn, shard, MAX(seq) AS seq FROM dynamodb_stream_records WHERE created_at < ? GROUP BY stream_arn, shard",
        )
        .all(cutoff) as { stream_arn: string; shard: number; seq: number }[];
      const mark = db.prepare(
        "UPDATE dynamodb_stream_shards SET trimmed_through = MAX(trimmed_through, ?) WHERE stream_arn = ? AND shard = ?",
      );
      for (const t of trimmed) mark.run(t.seq, t.stream_arn, t.shard);
      return db.prepare("DELETE FROM dynamodb_stream_records WHERE created_at < ?").run(cutoff).changes;
    })();
  }

  private ensureShards(streamArn: string, now: number): void {
    const exists = statement(
      this.options.db,
      "SELECT 1 FROM dynamodb_stream_shards WHERE stream_arn = ? LIMIT 1",
    ).get(streamArn);
    if (exists) return;
    const starting = (this.nextSeq.get() as { next: number }).next;
    for (let shard = 0; shard < SHARDS_PER_STREAM; shard++) {
      const suffix = createHash("sha256").update(`${streamArn}\u0000${shard}`).digest("hex").slice(0, 8);
      const shardId = `shardId-${String(now).padStart(20, "0")}-${suffix}`;
      this.insertShard.run(streamArn, shard, shardId, now, starting);
    }
  }

  private toRecord(row: RecordRow): ShardRecord {
    const newImage = row.new_image === null ? undefined : (JSON.parse(row.new_image) as Item);
    const oldImage = row.old_image === null ? undefined : (JSON.parse(row.old_image) as Item);
    const record: StreamRecord = {
      eventID: row.event_id,
      eventName: row.event_name,
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: this.options.region,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(row.created_at / 1000),
        Keys: JSON.parse(row.keys) as Item,
        ...(newImage ? { NewImage: newImage } : {}),
        ...(oldImage ? { OldImage: oldImage } : {}),
        SequenceNumber: formatSequenceNumber(row.seq),
        SizeBytes: row.size_bytes,
        StreamViewType: row.view_type,
      },
      ...(row.user_identity ? { userIdentity: JSON.parse(row.user_identity) } : {}),
    };
    return { seq: row.seq, createdAt: row.created_at, itemHash: row.item_hash, record };
  }
}
