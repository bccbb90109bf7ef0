/**
 * The host's own small state in the account's SQLite file: the endpoint's port (kept across
 * restarts, so queue URLs in deployed stacks stay right; the DNS server's too), the regions that have had stacks (their
 * clouds reopen at start), and Lambda's version numbers (never reused).
 */

import type { VersionCounter } from "../cloudformation/index.ts";
import type { Db } from "../store/index.ts";

export class HostStore implements VersionCounter {
  constructor(private readonly db: Db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS cloud_host_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS cloud_host_regions (region TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS cloud_host_versions (
        region TEXT NOT NULL, function_name TEXT NOT NULL, last INTEGER NOT NULL,
        PRIMARY KEY (region, function_name)
      );
    `);
  }

  get port(): number | undefined {
    return this.setting("port");
  }

  set port(port: number) {
    this.setSetting("port", port);
  }

  /** The Route 53 DNS server's port, kept so `dig -p` and resolver settings stay right. */
  get dnsPort(): number | undefined {
    return this.setting("dns_port");
  }

  set dnsPort(port: number) {
    this.setSetting("dns_port", port);
  }

  private setting(key: "port" | "dns_port"): number | undefined {
    const row = this.db.prepare("SELECT value FROM cloud_host_settings WHERE key = ?").get(key) as
      | { value: string }
      | undefined;
    return row === undefined ? undefined : Number(row.value);
  }

  private setSetting(key: "port" | "dns_port", value: number): void {
    this.db
      .prepare(
        "INSERT INTO cloud_host_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(key, String(value));
  }

  regions(): string[] {
    return (
      this.db.prepare("SELECT region FROM cloud_host_regions ORDER BY region").all() as { region: string }[]
    ).map((r) => r.region);
  }

  addRegion(region: string): void {
    this.db.prepare("INSERT OR IGNORE INTO cloud_host_regions (region) VALUES (?)").run(region);
  }

  next(region: string, functionName: string): number {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO cloud_host_versions (region, function_name, last) VALUES (?, ?, 1)
           ON CONFLICT(region, function_name) DO UPDATE SET last = last + 1`,
        )
        .run(region, functionName);
      const row = this.db
        .prepare("SELECT last FROM cloud_host_versions WHERE region = ? AND function_name = ?")
        .get(region, functionName) as { last: number };
      return row.last;
    })();
  }
}
