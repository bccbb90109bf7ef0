import { type Db, migrate } from "../../store/index.ts";

/**
 * The Step Functions surface's tables. An execution is a tree of frames: the top-level flow, each
 * Parallel branch and each Map iteration run in a frame that records where it is (the state, its
 * input, the retry attempt, the variables in scope, what it waits for). One transaction per
 * transition writes the frame and the history events it produced, so a restart resumes every
 * RUNNING execution from its last completed state.
 */
const STEPS = [
  `CREATE TABLE sfn_executions (
    arn TEXT PRIMARY KEY,
    machine_arn TEXT NOT NULL,
    machine_name TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    input TEXT NOT NULL,
    output TEXT,
    error TEXT,
    cause TEXT,
    start_ms INTEGER NOT NULL,
    stop_ms INTEGER,
    trace_header TEXT,
    role_arn TEXT NOT NULL,
    definition TEXT NOT NULL,
    timeout_at INTEGER,
    next_event_id INTEGER NOT NULL DEFAULT 1,
    parent TEXT,
    map_run_arn TEXT,
    seq INTEGER NOT NULL
  );
  CREATE INDEX sfn_executions_machine ON sfn_executions (machine_arn, seq);
  CREATE INDEX sfn_executions_running ON sfn_executions (status) WHERE status = 'RUNNING';
  CREATE INDEX sfn_executions_parent ON sfn_executions (parent) WHERE parent IS NOT NULL;
  CREATE TABLE sfn_frames (
    id INTEGER PRIMARY KEY,
    execution TEXT NOT NULL,
    parent_frame INTEGER,
    slot INTEGER NOT NULL,
    states_path TEXT NOT NULL,
    state TEXT NOT NULL,
    phase TEXT NOT NULL,
    input TEXT NOT NULL,
    variables TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 0,
    wake_at INTEGER,
    last_event_id INTEGER NOT NULL,
    data TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX sfn_frames_execution ON sfn_frames (execution);
  CREATE INDEX sfn_frames_parent ON sfn_frames (parent_frame, slot);
  CREATE UNIQUE INDEX sfn_executions_seq ON sfn_executions (seq);
  CREATE TABLE sfn_history (
    execution INTEGER NOT NULL,
    id INTEGER NOT NULL,
    previous_id INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    type TEXT NOT NULL,
    details TEXT,
    PRIMARY KEY (execution, id)
  ) WITHOUT ROWID;
  CREATE TABLE sfn_tokens (
    token TEXT PRIMARY KEY,
    execution TEXT NOT NULL,
    frame INTEGER NOT NULL,
    open INTEGER NOT NULL
  );
  CREATE INDEX sfn_tokens_frame ON sfn_tokens (frame);
  CREATE TABLE sfn_map_items (
    frame INTEGER PRIMARY KEY,
    items TEXT NOT NULL
  );`,
  // Which executions StartSyncExecution started: they are not resumed after a restart (at most once).
  "ALTER TABLE sfn_executions ADD COLUMN sync INTEGER NOT NULL DEFAULT 0",
];

export function migrateStepFunctions(db: Db): void {
  migrate(db, "stepfunctions", STEPS);
}
