/**
 * Regions for global-table tests: one DynamoDB engine per region, each on its own SQLite file (as
 * each region's LocalCloud has), one ManualClock, a recording StreamSink per region, and the
 * replication between them. A region can be closed without ceremony and reopened (a crash).
 */
import { join } from "node:path";
import { after } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import {
  DynamoDbService,
  GlobalTableReplication,
  type GlobalTableReplicationOptions,
  type ItemChange,
  type ReplicationEvent,
} from "../../src/local/dynamodb/index.ts";
import { type Db, openStore } from "../../src/local/store/index.ts";
import type { TableSpec } from "../../src/model/app-spec.ts";
import { tempDir } from "./temp.ts";

export const TABLE = "app-hello";

/** A global table keyed by `pk` (S), with TTL on `expiresAt`. */
export const GLOBAL_TABLE: TableSpec = {
  name: "hello",
  tableName: TABLE,
  partitionKey: { name: "pk", type: "S" },
  indexes: {},
  stream: "NEW_AND_OLD_IMAGES",
  ttlAttribute: "expiresAt",
  pointInTimeRecovery: false,
  deletionProtection: false,
  global: true,
};

export interface RigRegion {
  readonly region: string;
  /** Undefined while the region is closed. */
  service: DynamoDbService | undefined;
  /** Every stream change this region's engine recorded (across reopenings). */
  readonly changes: ItemChange[];
  /** Runs an action on the open region; returns plain JSON. */
  call(action: string, input: Record<string, unknown>): Record<string, unknown>;
  /** The item at `pk`, or undefined. */
  get(pk: string): Record<string, unknown> | undefined;
  /** Closes the file without settling anything (a crash). */
  crash(): void;
  /** A fresh engine over the same file. */
  reopen(): void;
}

export interface GlobalTablesRig {
  readonly clock: ManualClock;
  readonly regions: readonly RigRegion[];
  readonly events: ReplicationEvent[];
  replication: GlobalTableReplication;
  /** A new replication over the same regions (the old one closed). */
  restartReplication(): Promise<void>;
}

export function globalTablesRig(
  regionNames: readonly string[],
  options: Partial<Pick<GlobalTableReplicationOptions, "lagMs">> & {
    readonly tables?: readonly TableSpec[];
    /** False: the replication is made but not started (as if no replication ran yet). @default true */
    readonly startReplication?: boolean;
  } = {},
): GlobalTablesRig {
  const temp = tempDir("sluice-gt-");
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  const specs = options.tables ?? [GLOBAL_TABLE];
  const dbs = new Set<Db>();
  const regions = regionNames.map((region): RigRegion => {
    const file = join(temp.dir, `${region}.sqlite`);
    const changes: ItemChange[] = [];
    let db: Db | undefined;
    const open = (): DynamoDbService => {
      const opened = openStore(file);
      db = opened;
      dbs.add(opened);
      const service = new DynamoDbService({
        db: opened,
        clock,
        region,
        accountId: "123456789012",
        streams: { record: (change) => changes.push(JSON.parse(JSON.stringify(change)) as ItemChange) },
      });
      service.ensureTables(specs);
      return service;
    };
    const state: RigRegion = {
      region,
      service: open(),
      changes,
      call(action, input) {
        if (state.service === undefined) throw new Error(`${region} is closed`);
        return JSON.parse(JSON.stringify(state.service.execute(action, wireInput(input)) ?? {})) as Record<
          string,
          unknown
        >;
      },
      get(pk) {
        const got = state.call("GetItem", { TableName: TABLE, Key: { pk: { S: pk } }, ConsistentRead: true });
        return got.Item as Record<string, unknown> | undefined;
      },
      crash() {
        db?.close();
        if (db) dbs.delete(db);
        state.service = undefined;
      },
      reopen() {
        state.service = open();
      },
    };
    return state;
  });
  const events: ReplicationEvent[] = [];
  const makeReplication = () =>
    new GlobalTableReplication({
      regions: regions.map((r) => ({ region: r.region, dynamodb: () => r.service })),
      tables: () => specs.filter((s) => s.global).map((s) => s.tableName),
      clock,
      ...(options.lagMs !== undefined ? { lagMs: options.lagMs } : {}),
      onEvent: (event) => events.push(event),
    });
  const rig: GlobalTablesRig = {
    clock,
    regions,
    events,
    replication: makeReplication(),
    async restartReplication() {
      await rig.replication.close();
      rig.replication = makeReplication();
      rig.replication.start();
    },
  };
  if (options.startReplication !== false) rig.replication.start();
  after(async () => {
    await rig.replication.close();
    for (const db of dbs) db.close();
    temp.cleanup();
  });
  return rig;
}

/** The input as the wire codec hands it over: JSON with null-prototype objects. */
function wireInput(input: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(input), (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.assign(Object.create(null) as object, value)
      : value,
  ) as Record<string, unknown>;
}
