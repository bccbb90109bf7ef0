/**
 * The local DynamoDB: tables, items, indexes, transactions and TTL over the app's SQLite file.
 * LocalCloud composes it and the endpoint serves it; the streams side gives it the StreamSink and
 * reads `streams()`, so these signatures are what the rest of the local cloud relies on.
 */
import type Database from "better-sqlite3";
import type { TableSpec } from "../../model/app-spec.ts";
import type { Clock } from "../clock/index.ts";
import { IntentSlot } from "../store/index.ts";
import { ACTIONS, checksOf, unknownAction } from "./actions.ts";
import { AnsweredWrites, WRITE_INTENT_SUFFIX } from "./answered-writes.ts";
import type { Engine } from "./engine.ts";
import { ensureTables } from "./ensure-tables.ts";
import { ReplicaLog } from "./global-tables/replica-log.ts";
import { type ReplicaPort, replicaPort } from "./global-tables/replica-port.ts";
import { ItemStore } from "./item-store.ts";
import { executePartiql, isPartiqlAction, partiqlResourcesOf } from "./partiql/index.ts";
import { migrateDynamoDb } from "./schema.ts";
import type {
  DynamoDbCallContext,
  DynamoDbServiceApi,
  TableStreamInfo,
  TableSummary,
} from "./service-types.ts";
import type { StreamSink } from "./streams/item-change.ts";
import { TableRegistry } from "./table-registry.ts";
import { streamInfos, tableSummaries } from "./table-summaries.ts";
import { expireItems } from "./time-to-live-sweep.ts";

export interface DynamoDbServiceOptions {
  /** The app's SQLite database (the Store's); the service creates and migrates its own tables. */
  readonly db: Database.Database;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  /** Receives every change of a table whose stream is enabled, inside the write's transaction. */
  readonly streams: StreamSink;
}

export type {
  DynamoDbCallContext,
  DynamoDbServiceApi,
  TableStreamInfo,
  TableSummary,
} from "./service-types.ts";

/**
 * The engine behind DynamoDbServiceApi: the actions live in their own files (actions.ts lists
 * them); this class opens the surface's tables and holds what they share.
 */
export class DynamoDbService implements DynamoDbServiceApi {
  private readonly engine: Engine;
  private readonly answered: AnsweredWrites | undefined;
  /** Global tables: what the replication between regions reads and applies here. */
  readonly replication: ReplicaPort;

  constructor(options: DynamoDbServiceOptions) {
    migrateDynamoDb(options.db);
    const tables = new TableRegistry(options.db);
    const replicas = new ReplicaLog(options.db, options.clock, options.region);
    // The state file's own: a store in memory has nothing to survive, so its writes commit first.
    const answered = options.db.memory
      ? undefined
      : new AnsweredWrites(new IntentSlot(`${options.db.name}${WRITE_INTENT_SUFFIX}`));
    this.answered = answered;
    this.engine = {
      db: options.db,
      clock: options.clock,
      region: options.region,
      accountId: options.accountId,
      tables,
      items: new ItemStore(options.db, tables, options.streams, replicas),
      replicas,
      ...(answered === undefined ? {} : { answered }),
    };
    answered?.recover(this.engine);
    this.replication = replicaPort(this.engine);
  }

  /** Commits a write whose answer went out, then closes the intent slot's file. */
  close(): void {
    this.answered?.close(this.engine);
  }

  ensureTables(tables: readonly TableSpec[]): void {
    ensureTables(this.engine, tables);
  }

  execute(
    action: string,
    input: Readonly<Record<string, unknown>>,
    context: DynamoDbCallContext = {},
  ): unknown {
    // A write answered earlier whose commit failed (answered-writes.ts) is committed before any
    // other call reads or writes; while it fails, every call fails.
    this.answered?.commit(this.engine);
    // PartiQL's statements are translated into the actions below (partiql/).
    if (isPartiqlAction(action)) return executePartiql(this, action, input);
    const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (run === undefined) throw unknownAction(action);
    return run(this.engine, input, context);
  }

  resourcesOf(
    action: string,
    input: Readonly<Record<string, unknown>>,
  ): readonly { readonly action: string; readonly resource: string }[] {
    if (isPartiqlAction(action)) return partiqlResourcesOf(this, action, input);
    return checksOf(this.engine, action, input);
  }

  expireItems(): number {
    this.answered?.commit(this.engine);
    return expireItems(this.engine);
  }

  streams(): readonly TableStreamInfo[] {
    return streamInfos(this.engine);
  }

  tables(): readonly TableSummary[] {
    return tableSummaries(this.engine);
  }
}
