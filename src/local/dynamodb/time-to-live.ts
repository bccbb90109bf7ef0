/**
 * UpdateTimeToLive and DescribeTimeToLive. Turning TTL on or off refreshes each item's expiry
 * column in the same transaction, so the next sweep (`expireItems`) sees it.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
 */
import { type Engine, inTransaction } from "./engine.ts";
import { constraint, validation } from "./errors.ts";
import { type Input, optObject, tableNameOf } from "./input.ts";
import type { TableMeta } from "./table-meta.ts";

export function setTimeToLive(engine: Engine, table: TableMeta, attribute: string | undefined): TableMeta {
  const next: TableMeta = {
    ...table,
    ttl:
      attribute === undefined
        ? table.ttl === undefined
          ? undefined
          : { ...table.ttl, enabled: false }
        : { attribute, enabled: true },
  };
  engine.tables.save(next);
  engine.items.refreshTtl(next);
  return next;
}

export function updateTimeToLive(engine: Engine, input: Input): unknown {
  const name = tableNameOf(input);
  const spec = optObject(input, "TimeToLiveSpecification");
  if (spec === undefined) throw constraint("timeToLiveSpecification", undefined, "Member must not be null");
  const enabled = spec.Enabled;
  const attribute = spec.AttributeName;
  if (typeof enabled !== "boolean")
    throw constraint("timeToLiveSpecification.enabled", undefined, "Member must not be null");
  if (typeof attribute !== "string")
    throw constraint("timeToLiveSpecification.attributeName", undefined, "Member must not be null");
  if (attribute.length < 1 || attribute.length > 255) {
    throw constraint(
      "timeToLiveSpecification.attributeName",
      attribute,
      "Member must have length less than or equal to 255",
    );
  }
  return inTransaction(engine, () => {
    const table = engine.tables.get(name, true);
    const current = table.ttl?.enabled === true ? table.ttl.attribute : undefined;
    if (enabled && current !== undefined) throw validation("TimeToLive is already enabled");
    if (!enabled && current === undefined) throw validation("TimeToLive is already disabled");
    if (!enabled && current !== attribute) {
      throw validation(
        `TimeToLive is active on a different AttributeName: current AttributeName is ${current}`,
      );
    }
    setTimeToLive(engine, table, enabled ? attribute : undefined);
    return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute } };
  });
}

export function describeTimeToLive(engine: Engine, input: Input): unknown {
  const table = engine.tables.get(tableNameOf(input), true);
  const ttl = table.ttl;
  return {
    TimeToLiveDescription:
      ttl?.enabled === true
        ? { TimeToLiveStatus: "ENABLED", AttributeName: ttl.attribute }
        : { TimeToLiveStatus: "DISABLED" },
  };
}
