/**
 * Last writer wins, as DynamoDB global tables (multi-Region eventual consistency) resolve
 * conflicts: every item of a global table carries the time of its last write (AWS keeps it as a
 * private system attribute, never shown; so does Sluice, beside the item), and a replicated write
 * is applied only when it is newer than what the replica holds. Deletes keep their version as a
 * tombstone, so an older write that arrives later cannot bring the item back.
 * https://docs.aws.amazon.com/prescriptive-guidance/latest/dynamodb-global-tables/overview.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
 */

/** When and where an item was last written. */
export interface WriteVersion {
  /** Epoch milliseconds on the clock of the region that took the write. */
  readonly ts: number;
  /** The region that took the write. */
  readonly region: string;
}

/**
 * True when `a` is the later write. Equal timestamps (two regions writing in the same
 * millisecond) are broken by the region name: the greater name in UTF-16 code-unit order wins,
 * the same answer in every region, so all replicas converge on one item.
 */
export function isNewer(a: WriteVersion, b: WriteVersion): boolean {
  if (a.ts !== b.ts) return a.ts > b.ts;
  return a.region > b.region;
}

/**
 * The version of a write a region takes itself. It must beat what the region holds (a replicated
 * write may carry the same millisecond from a region whose name sorts later), or the other
 * regions would keep their item while this one keeps its own: then it moves one millisecond past
 * the stored version, as a hybrid logical clock does.
 */
export function localVersion(now: number, region: string, stored: WriteVersion | undefined): WriteVersion {
  const candidate = { ts: now, region };
  if (stored === undefined || isNewer(candidate, stored)) return candidate;
  return { ts: stored.ts + 1, region };
}
