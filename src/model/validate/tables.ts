/**
 * Reads `tables`: each table's keys, secondary indexes, stream, TTL and options, with DynamoDB's
 * CreateTable rules (names, key types, index limits, one type per key attribute), and the physical
 * names they make. Which functions consume a table is checked in table-consumers.ts.
 */
import type { StreamViewType, TableIndexSpec } from "../app-spec.ts";
import { LIMITS } from "../limits.ts";
import { physicalTableName } from "../naming.ts";
import type { TableDraft } from "./draft.ts";
import { readIndex } from "./table-indexes.ts";
import {
  checkDistinctKeys,
  EXAMPLE_KEY,
  KeyTypes,
  readKey,
  readRequiredKey,
  type TableKeys,
} from "./table-keys.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  join,
  quoteList,
  readBoolean,
  readObject,
  readOptional,
  readString,
} from "./values.ts";

const TABLES = LIMITS.dynamodbTables;
const DYNAMODB = LIMITS.dynamodb;
/** What LIMITS.dynamodb.tableName's pattern allows, in words. */
const NAME_CHARSET = "letters, digits, underscores, hyphens and dots (a-z A-Z 0-9 _ - .)";
const TABLE_KEYS = [
  "partitionKey",
  "sortKey",
  "indexes",
  "stream",
  "ttl",
  "pointInTimeRecovery",
  "deletionProtection",
  "global",
] as const;
const VIEW_TYPES: readonly string[] = TABLES.streamViewTypes.values;
/** `stream: true` asks for the view a stream-driven function can do the most with. */
const DEFAULT_VIEW: StreamViewType = "NEW_AND_OLD_IMAGES";
/** The only stream a global table may have. */
const GLOBAL_VIEW: StreamViewType = "NEW_AND_OLD_IMAGES";

export function readTables(issues: Issues, value: unknown): Map<string, TableDraft> {
  const tables = new Map<string, TableDraft>();
  if (value === undefined) return tables;
  const example = `tables: { games: { partitionKey: ${EXAMPLE_KEY} } }`;
  const fields = readObject(issues, "tables", value, example);
  if (fields === undefined) return tables;
  for (const [name, raw] of Object.entries(fields)) {
    const path = join("tables", name);
    const table = readObject(issues, path, raw, `{ partitionKey: ${EXAMPLE_KEY} }`);
    if (table !== undefined) tables.set(name, readTable(issues, name, path, table));
  }
  return tables;
}

function readTable(issues: Issues, name: string, path: string, table: Fields): TableDraft {
  const before = issues.list.length;
  checkKeys(issues, path, table, TABLE_KEYS);
  const at = (key: string): string => join(path, key);
  const keyTypes = new KeyTypes(issues);
  const partitionKey = readRequiredKey(issues, at("partitionKey"), table.partitionKey, "partitionKey");
  const sortKey = table.sortKey === undefined ? undefined : readKey(issues, at("sortKey"), table.sortKey);
  if (partitionKey) keyTypes.check(at("partitionKey"), partitionKey);
  // A sort key that repeats the partition key is reported once, as that.
  if (sortKey && checkDistinctKeys(issues, at("sortKey"), partitionKey, sortKey)) {
    keyTypes.check(at("sortKey"), sortKey);
  }
  const keys = { partitionKey, sortKey, sortKeyGiven: table.sortKey !== undefined };
  const indexes = readIndexes(issues, at("indexes"), table.indexes, keys, keyTypes);
  const global = readOptional(table.global, false, (v) => readBoolean(issues, at("global"), v));
  const stream = readTableStream(issues, at("stream"), table.stream, global === true);
  const ttlAttribute = table.ttl === undefined ? undefined : readTtl(issues, at("ttl"), table.ttl);
  const pointInTimeRecovery = readOptional(table.pointInTimeRecovery, false, (v) =>
    readBoolean(issues, at("pointInTimeRecovery"), v),
  );
  const deletionProtection = readOptional(table.deletionProtection, false, (v) =>
    readBoolean(issues, at("deletionProtection"), v),
  );
  const valid =
    issues.list.length === before &&
    partitionKey !== undefined &&
    indexes !== undefined &&
    pointInTimeRecovery !== undefined &&
    deletionProtection !== undefined &&
    global !== undefined;
  return {
    name,
    path,
    stream,
    spec: valid
      ? {
          name,
          partitionKey,
          ...(sortKey === undefined ? {} : { sortKey }),
          indexes,
          ...(stream === undefined ? {} : { stream }),
          ...(ttlAttribute === undefined ? {} : { ttlAttribute }),
          pointInTimeRecovery,
          deletionProtection,
          ...(global ? { global: true as const } : {}),
        }
      : undefined,
  };
}

function readIndexes(
  issues: Issues,
  path: string,
  value: unknown,
  table: TableKeys,
  keyTypes: KeyTypes,
): Record<string, TableIndexSpec> | undefined {
  if (value === undefined) return {};
  const example = `indexes: { byPlayer: { partitionKey: { name: "player", type: "S" }, projection: "all" } }`;
  const fields = readObject(issues, path, value, example);
  if (fields === undefined) return undefined;
  const indexes: Record<string, TableIndexSpec> = {};
  let valid = true;
  for (const [name, raw] of Object.entries(fields)) {
    const at = join(path, name);
    const named = checkIndexName(issues, at, name);
    const index = readIndex(issues, at, name, raw, table, keyTypes);
    if (index === undefined || !named) valid = false;
    else indexes[name] = index;
  }
  const all = Object.values(indexes);
  checkCount(issues, path, all, "global", DYNAMODB.globalSecondaryIndexes.max);
  checkCount(issues, path, all, "local", DYNAMODB.localSecondaryIndexes.max);
  checkProjected(issues, path, all);
  return valid ? indexes : undefined;
}

function checkCount(
  issues: Issues,
  path: string,
  indexes: readonly TableIndexSpec[],
  kind: "global" | "local",
  max: number,
): void {
  const count = indexes.filter((index) => index.kind === kind).length;
  if (count <= max) return;
  issues.add(
    path,
    count,
    `the table has ${count} ${kind} secondary indexes, above DynamoDB's limit of ${max}`,
    `at most ${max} ${kind} secondary indexes per table`,
    `remove ${count - max} ${kind} indexes`,
  );
}

/** INCLUDE projections share one budget per table: an attribute in two indexes counts twice. */
function checkProjected(issues: Issues, path: string, indexes: readonly TableIndexSpec[]): void {
  const max = DYNAMODB.projectedAttributes.max;
  const count = indexes.reduce(
    (sum, index) =>
      sum + (index.projection.type === "INCLUDE" ? index.projection.nonKeyAttributes.length : 0),
    0,
  );
  if (count <= max) return;
  issues.add(
    path,
    count,
    `the indexes project ${count} named attributes together, above DynamoDB's limit of ${max} per table`,
    `at most ${max} attributes in all the indexes' projection lists (one in two indexes counts twice)`,
    `project "all" in the indexes that need most attributes, or name ${count - max} fewer`,
  );
}

/**
 * The table's stream. A global table replicates through a stream "containing both the new and the
 * old images of the item" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/globaltables_reqs_bestpractices.html),
 * which AWS::DynamoDB::GlobalTable needs with more than one replica
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-streamspecification.html),
 * so it gets one when none is written and any other view is an error. The page's other
 * requirements (one name, one key schema and the same indexes in every replica; one capacity
 * mode) hold by construction: every region's spec comes from the same definition, on demand.
 */
function readTableStream(
  issues: Issues,
  path: string,
  value: unknown,
  global: boolean,
): StreamViewType | undefined {
  if (!global) return value === undefined ? undefined : readStream(issues, path, value);
  if (value === undefined) return GLOBAL_VIEW;
  const view = readStream(issues, path, value);
  if (view === undefined || view === GLOBAL_VIEW) return view;
  issues.add(
    path,
    value,
    `a global table replicates through a ${GLOBAL_VIEW} stream, so its stream cannot be ${view}`,
    `"${GLOBAL_VIEW}", true, or no stream (set for you)`,
    `remove stream (a global table gets ${GLOBAL_VIEW}), or make the table regional`,
  );
  return undefined;
}

function readStream(issues: Issues, path: string, value: unknown): StreamViewType | undefined {
  if (value === true) return DEFAULT_VIEW;
  if (typeof value === "string" && VIEW_TYPES.includes(value)) return value as StreamViewType;
  const upper = typeof value === "string" ? value.toUpperCase().replace(/[ -]/g, "_") : "";
  issues.add(
    path,
    value,
    "stream is DynamoDB's StreamViewType, what each stream record holds",
    `one of ${quoteList(VIEW_TYPES)}, or true for "${DEFAULT_VIEW}"`,
    VIEW_TYPES.includes(upper)
      ? `write stream: "${upper}"`
      : `write stream: "${DEFAULT_VIEW}", or leave it out for no stream`,
  );
  return undefined;
}

function readTtl(issues: Issues, path: string, value: unknown): string | undefined {
  const name = readString(issues, path, value, `ttl: "expiresAt"`);
  if (name === undefined) return undefined;
  const row = TABLES.ttlAttributeName;
  if (name.length >= (row.min ?? 1) && name.length <= row.max) return name;
  issues.add(
    path,
    name,
    `the TTL attribute's name must be ${row.min} to ${row.max} characters`,
    `${row.min} to ${row.max} characters`,
    `name the attribute that holds each item's expiry, e.g. ttl: "expiresAt"`,
  );
  return undefined;
}

/** An index name: 3–255 of `a-z A-Z 0-9 _ - .` (the rule of table names). */
function checkIndexName(issues: Issues, path: string, name: string): boolean {
  const row = DYNAMODB.tableName;
  if (row.pattern.test(name)) return true;
  const long = name.length < row.min || name.length > row.max;
  issues.add(
    path,
    name,
    long
      ? `the index name "${name}" is ${name.length} characters; DynamoDB needs ${row.min} to ${row.max}`
      : `the index name "${name}" has characters DynamoDB does not allow`,
    `${row.min} to ${row.max} ${NAME_CHARSET}`,
    long ? "rename the index" : `rename it, e.g. "${name.replace(/[^a-zA-Z0-9_.-]+/g, "-")}"`,
  );
  return false;
}

/**
 * Physical table names (`<app>-<name>`) as DynamoDB checks them: 3–255 of `a-z A-Z 0-9 _ - .`.
 * The app's prefix is always valid, so a bad character is the definition name's.
 */
export function checkTableNames(
  issues: Issues,
  app: string | undefined,
  tables: ReadonlyMap<string, TableDraft>,
): void {
  if (app === undefined) return;
  const row = DYNAMODB.tableName;
  for (const table of tables.values()) {
    const physical = physicalTableName(app, table.name);
    if (row.pattern.test(physical)) continue;
    if (physical.length > row.max) {
      issues.add(
        table.path,
        table.name,
        `the physical name "${physical.slice(0, 40)}…" is ${physical.length} characters, above DynamoDB's limit of ${row.max}`,
        `app name + "-" + name of at most ${row.max} characters`,
        `shorten the name by ${physical.length - row.max} characters`,
      );
      continue;
    }
    issues.add(
      table.path,
      table.name,
      `the table name "${table.name}" has characters DynamoDB does not allow`,
      NAME_CHARSET,
      `rename it, e.g. "${table.name.replace(/[^a-zA-Z0-9_.-]+/g, "-")}"`,
    );
  }
}
