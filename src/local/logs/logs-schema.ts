import { type Db, migrate } from "../store/index.ts";

/** CloudWatch Logs' tables: groups and streams per region, events in ingestion order. */
export function migrateLogs(db: Db): void {
  migrate(db, "logs", [
    `CREATE TABLE logs_groups (
       region TEXT NOT NULL,
       name TEXT NOT NULL,
       created_at INTEGER NOT NULL,
       retention_days INTEGER,
       PRIMARY KEY (region, name)
     )`,
    `CREATE TABLE logs_streams (
       region TEXT NOT NULL,
       group_name TEXT NOT NULL,
       name TEXT NOT NULL,
       created_at INTEGER NOT NULL,
       first_event INTEGER,
       last_event INTEGER,
       last_ingestion INTEGER,
       PRIMARY KEY (region, group_name, name)
     )`,
    `CREATE TABLE logs_events (
       id INTEGER PRIMARY KEY AUTOINCREMENT,
       region TEXT NOT NULL,
       group_name TEXT NOT NULL,
       stream TEXT NOT NULL,
       timestamp INTEGER NOT NULL,
       ingestion_time INTEGER NOT NULL,
       message TEXT NOT NULL
     )`,
    "CREATE INDEX logs_events_by_group ON logs_events (region, group_name, timestamp, id)",
    "CREATE INDEX logs_events_by_stream ON logs_events (region, group_name, stream, id)",
  ]);
}
