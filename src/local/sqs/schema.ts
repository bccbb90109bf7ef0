import { type Db, migrate } from "../store/index.ts";

/**
 * The SQS surface's tables. One `visible_at` column carries both delays and visibility timeouts
 * (clock milliseconds), so a receive is one range scan of `sqs_messages_ready`. A message is in
 * flight when it has been received (`received_at` set) and `visible_at` is still ahead; delayed
 * when it has never been received and `visible_at` is ahead.
 */
const STEPS = [
  `CREATE TABLE sqs_queues (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    queue_name TEXT NOT NULL UNIQUE,
    spec TEXT NOT NULL,
    origin TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_purge_at INTEGER
  );
  CREATE TABLE sqs_messages (
    seq INTEGER PRIMARY KEY,
    queue_id INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    md5_body TEXT NOT NULL,
    attributes TEXT,
    md5_attributes TEXT,
    system_attributes TEXT,
    group_id TEXT,
    dedup_id TEXT,
    sent_at INTEGER NOT NULL,
    enqueued_at INTEGER NOT NULL,
    retention_base INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    first_received_at INTEGER,
    received_at INTEGER,
    receipt TEXT,
    source_queue TEXT
  );
  CREATE INDEX sqs_messages_ready ON sqs_messages (queue_id, visible_at, seq, group_id);
  CREATE INDEX sqs_messages_retention ON sqs_messages (queue_id, retention_base);
  CREATE INDEX sqs_messages_group ON sqs_messages (queue_id, group_id, seq) WHERE group_id IS NOT NULL;
  CREATE TABLE sqs_dedup (
    queue_id INTEGER NOT NULL,
    dedup_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sequence_number TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (queue_id, dedup_id)
  ) WITHOUT ROWID;`,
  // The wire endpoint's additions: SetQueueAttributes' timestamp, tags and the queue attributes
  // Sluice stores without acting on them (Policy, KMS settings), and message move tasks.
  `ALTER TABLE sqs_queues ADD COLUMN modified_at INTEGER;
  CREATE TABLE sqs_queue_properties (
    queue_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (queue_id, kind, key)
  ) WITHOUT ROWID;
  CREATE TABLE sqs_move_tasks (
    handle TEXT PRIMARY KEY,
    source_arn TEXT NOT NULL,
    destination_arn TEXT,
    max_per_second INTEGER,
    status TEXT NOT NULL,
    moved INTEGER NOT NULL,
    to_move INTEGER NOT NULL,
    failure_reason TEXT,
    started_at INTEGER NOT NULL
  );
  CREATE INDEX sqs_move_tasks_source ON sqs_move_tasks (source_arn, started_at);`,
  // GetQueueAttributes without counting the queue (issue 11): a per-queue count of stored messages
  // kept by triggers in the same transaction as every insert and delete, a ready index that also
  // covers `received_at` (in flight and delayed are counted from the rows ahead of now only) and an
  // index for the oldest message's age.
  `CREATE TABLE sqs_queue_depth (queue_id INTEGER PRIMARY KEY, stored INTEGER NOT NULL);
  INSERT INTO sqs_queue_depth (queue_id, stored) SELECT queue_id, COUNT(*) FROM sqs_messages GROUP BY queue_id;
  CREATE TRIGGER sqs_messages_depth_insert AFTER INSERT ON sqs_messages BEGIN
    INSERT INTO sqs_queue_depth (queue_id, stored) VALUES (NEW.queue_id, 1)
      ON CONFLICT (queue_id) DO UPDATE SET stored = stored + 1;
  END;
  CREATE TRIGGER sqs_messages_depth_delete AFTER DELETE ON sqs_messages BEGIN
    UPDATE sqs_queue_depth SET stored = stored - 1 WHERE queue_id = OLD.queue_id;
  END;
  CREATE TRIGGER sqs_messages_depth_move AFTER UPDATE OF queue_id ON sqs_messages BEGIN
    UPDATE sqs_queue_depth SET stored = stored - 1 WHERE queue_id = OLD.queue_id;
    INSERT INTO sqs_queue_depth (queue_id, stored) VALUES (NEW.queue_id, 1)
      ON CONFLICT (queue_id) DO UPDATE SET stored = stored + 1;
  END;
  CREATE TRIGGER sqs_queues_depth_drop AFTER DELETE ON sqs_queues BEGIN
    DELETE FROM sqs_queue_depth WHERE queue_id = OLD.id;
  END;
  DROP INDEX sqs_messages_ready;
  CREATE INDEX sqs_messages_ready ON sqs_messages (queue_id, visible_at, seq, group_id, received_at);
  CREATE INDEX sqs_messages_age ON sqs_messages (queue_id, enqueued_at);`,
  // SenderId per message (issue 14): the sending function's role session id; NULL is the account.
  "ALTER TABLE sqs_messages ADD COLUMN sender_id TEXT;",
  // One index fewer per SendMessage (issue 14: each is a page more in the WAL per commit). A sent
  // message's retention clock is its enqueue time, so the age index finds it when it expires; only
  // messages a standard queue moved to its dead-letter queue keep an earlier retention clock (their
  // original enqueue time), and only those enter the partial index.
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
  `DROP INDEX IF EXISTS sqs_messages_retention;
  CREATE INDEX sqs_messages_moved_retention ON sqs_messages (queue_id, retention_base)
    WHERE retention_base < enqueued_at;`,
  // Traces across hops (issue 20): each message's X-Ray trace header, the one its receivers'
  // invocations continue. Every message belongs to a trace locally, also one sent without a header
  // (a new trace then); AWSTraceHeader still shows only what the sender gave (system_attributes).
  "ALTER TABLE sqs_messages ADD COLUMN trace_header TEXT;",
  // FIFO receives retried with their ReceiveRequestAttemptId (receive-attempts.ts): what each
  // receive that named one locked (JSON: row, receipt token, visible until), kept 5 minutes.
  `CREATE TABLE sqs_receive_attempts (
    queue_id INTEGER NOT NULL,
    attempt_id TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    messages TEXT NOT NULL,
    PRIMARY KEY (queue_id, attempt_id)
  ) WITHOUT ROWID;`,
] as const;

export function migrateSqs(db: Db): void {
  migrate(db, "sqs", STEPS);
}

/** One row of `sqs_messages`, as the statements select it. */
export interface MessageRow {
  seq: number;
  queue_id: number;
  message_id: string;
  body: string;
  md5_body: string;
  attributes: string | null;
  md5_attributes: string | null;
  system_attributes: string | null;
  group_id: string | null;
  dedup_id: string | null;
  sent_at: number;
  enqueued_at: number;
  retention_base: number;
  visible_at: number;
  receive_count: number;
  first_received_at: number | null;
  received_at: number | null;
  receipt: string | null;
  source_queue: string | null;
  /** ReceiveMessage's SenderId; null means the account's own id. */
  sender_id: string | null;
  /** The message's trace header (the header of its `send` hop); null for rows stored before issue 20. */
  trace_header: string | null;
}
