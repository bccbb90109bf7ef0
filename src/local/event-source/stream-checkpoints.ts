import { type Db, migrate } from "../store/index.ts";

/**
 * Where each stream mapping has got to, per shard and parallelization lane, kept in the app's
 * SQLite file so a restarted `dev` resumes after the last checkpoint, as Lambda's mappings do. A
 * tumbling window's start and state are kept beside the position they belong to. Each row also
 * keeps the parallelizationFactor its lane number belongs to: lane i of 3 lanes holds other items
 * than lane i of 2, so a changed factor must not reuse the rows as they are (`lanes`).
 */
export interface Checkpoint {
  /** The counter of the last record done with (sequence-number.ts); records after it come next. */
  readonly afterSeq: number;
  readonly windowStart?: number;
  readonly windowState?: string;
}

export class StreamCheckpoints {
  constructor(private readonly db: Db) {
    migrate(db, "event-source-streams", [
      `CREATE TABLE stream_mapping_positions (
         function_name TEXT NOT NULL,
         stream_arn TEXT NOT NULL,
         shard INTEGER NOT NULL,
         lane INTEGER NOT NULL,
         after_seq INTEGER NOT NULL,
         window_start INTEGER,
         window_state TEXT,
         PRIMARY KEY (function_name, stream_arn, shard, lane)
       )`,
      // NULL on rows kept before the factor was stored: read as the factor now configured.
      "ALTER TABLE stream_mapping_positions ADD COLUMN lanes INTEGER",
    ]);
  }

  /**
   * Where a shard's lanes start under `lanes` lanes. Under the factor its checkpoints were kept
   * with, each lane resumes at its own; under another, every lane starts after the lowest old
   * position (each old lane is done at least that far, so nothing is lost; the rest may be replayed,
   * which at-least-once delivery allows), window state dropped, and the old rows are replaced.
   * Returns undefined when the shard has no checkpoint yet.
   */
  resume(functionName: string, streamArn: string, shard: number, lanes: number): Checkpoint[] | undefined {
    const rows = this.db
      .prepare(
        "SELECT lane, lanes, after_seq FROM stream_mapping_positions WHERE function_name = ? AND stream_arn = ? AND shard = ?",
      )
      .all(functionName, streamArn, shard) as { lane: number; lanes: number | null; after_seq: number }[];
    if (rows.length === 0) return undefined;
    const same = rows.every((r) => (r.lanes ?? lanes) === lanes && r.lane < lanes);
    if (same && rows.length === lanes)
      return Array.from(
        { length: lanes },
        (_, lane) => this.load(functionName, streamArn, shard, lane) as Checkpoint,
      );
    const lowest = Math.min(...rows.map((r) => r.after_seq));
    const checkpoints = Array.from({ length: lanes }, (): Checkpoint => ({ afterSeq: lowest }));
    this.db.transaction(() => {
      this.db
        .prepare(
          "DELETE FROM stream_mapping_positions WHERE function_name = ? AND stream_arn = ? AND shard = ?",
        )
        .run(functionName, streamArn, shard);
      for (const [lane, c] of checkpoints.entries())
        this.save(functionName, streamArn, shard, lane, lanes, c);
    })();
    return checkpoints;
  }

  load(functionName: string, streamArn: string, shard: number, lane: number): Checkpoint | undefined {
    const row = this.db
      .prepare(
        "SELECT after_seq, window_start, window_state FROM stream_mapping_positions WHERE function_name = ? AND stream_arn = ? AND shard = ? AND lane = ?",
      )
      .get(functionName, streamArn, shard, lane) as
      | { after_seq: number; window_start: number | null; window_state: string | null }
      | undefined;
    if (!row) return undefined;
    return {
      afterSeq: row.after_seq,
      ...(row.window_start === null ? {} : { windowStart: row.window_start }),
      ...(row.window_state === null ? {} : { windowState: row.window_state }),
    };
  }

  save(
    functionName: string,
    streamArn: string,
    shard: number,
    lane: number,
    lanes: number,
    checkpoint: Checkpoint,
  ): void {
    this.db
      .prepare(
        `INSERT INTO stream_mapping_positions (function_name, stream_arn, shard, lane, lanes, after_seq, window_start, window_state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (function_name, stream_arn, shard, lane) DO UPDATE SET
           lanes = excluded.lanes, after_seq = excluded.after_seq, window_start = excluded.window_start,
           window_state = excluded.window_state`,
      )
      .run(
        functionName,
        streamArn,
        shard,
        lane,
        lanes,
        checkpoint.afterSeq,
        checkpoint.windowStart ?? null,
        checkpoint.windowState ?? null,
      );
  }
}
