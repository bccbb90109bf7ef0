/** What every DynamoDB operation works with: the file, the clock, the account and the tables. */
import type { Statement } from "better-sqlite3";
import { arn } from "../../model/naming.ts";
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import type { Item } from "./expressions/index.ts";
import type { ReplicaLog } from "./global-tables/replica-log.ts";
import type { ItemStore } from "./item-store.ts";
import type { TableMeta } from "./table-meta.ts";
import type { TableRegistry } from "./table-registry.ts";

export interface Engine {
  readonly db: Db;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  readonly tables: TableRegistry;
  readonly items: ItemStore;
  /** Global tables: versions, the outbox and checkpoints (global-tables/replica-log.ts). */
  readonly replicas: ReplicaLog;
  /** Writes the wire answers before their commit (answered-writes.ts); none for a store in memory. */
  readonly answered?: AnswerFirst;
}

/** What a write answered before its commit needs (answered-writes.ts implements it). */
export interface AnswerFirst {
  /** Puts the write into the intent slot; the caller answers, then runs `commit`. */
  hold(table: TableMeta, previous: Item | undefined, next: Item | undefined): void;
  /** Commits the held write (none: nothing happens), then empties the slot. */
  commit(engine: Engine): void;
}

export function tableArn(engine: Pick<Engine, "region" | "accountId">, tableName: string): string {
  return arn("dynamodb", engine.region, engine.accountId, `table/${tableName}`);
}

/**
 * One transaction wrapper per database, taking the work as its argument: better-sqlite3's
 * `db.transaction(fn)` builds four wrapper functions each time it is called, a tenth of a
 * PutItem's JavaScript time when made per call. Inside another transaction it opens a savepoint,
 * as a fresh wrapper would.
 */
const runners = new WeakMap<Db, (fn: () => unknown) => unknown>();

/** Runs `fn` in one SQLite transaction; a throw rolls back the rows and the cached metadata. */
export function inTransaction<T>(engine: Engine, fn: () => T): T {
  let run = runners.get(engine.db);
  if (run === undefined) {
    run = engine.db.transaction((work: () => unknown) => work());
    runners.set(engine.db, run);
  }
  try {
    return run(fn) as T;
  } catch (error) {
    engine.tables.reset();
    throw error;
  }
}

const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, prepared once per database (Query and Scan build a few shapes of SQL). */
export function statement(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}
