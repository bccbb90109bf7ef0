/**
 * A seeded generator of item calls over the suite's tables: writes with conditions and return
 * values, reads, queries and scans with filters, limits, pages and indexes, batches and
 * transactions. Keys come from small pools so calls meet the same items; attributes from a small
 * vocabulary so conditions and filters sometimes hold. The same seed gives the same calls.
 */
import { type Random, seededRandom } from "../event-pattern-random.ts";
import type { OracleCall } from "./calls.ts";
import { conditionPart, expressionFields, type Part, pick, updatePart, WORDS } from "./expression-parts.ts";
import { GSI, GSI_INCLUDE, HASH_TABLE, LSI, RANGE_TABLE } from "./tables.ts";

type Av = Record<string, unknown>;
const PKS = ["a", "b", "c"];
const SKS = ["1", "2", "3", "4", "5", "6"];
const HASH_KEYS = ["h1", "h2", "h3", "h4"];
/** Numbers DynamoDB normalises on the way in ("1.50" is stored as 1.5, "-0" as 0, "1e2" as 100). */
const NUMBERS = ["0", "1", "-1", "2.5", "1.50", "-0", "1e2", "0.001", "12345678901234567890"];

function rangeKey(random: Random): Av {
  return { pk: { S: pick(random, PKS) }, sk: { N: pick(random, SKS) } };
}
function hashKey(random: Random): Av {
  return { pk: { S: pick(random, HASH_KEYS) } };
}

function randomItem(random: Random, key: Av, indexed: boolean): Av {
  const item: Av = { ...key };
  const maybe = (p: number, name: string, value: () => unknown) => {
    if (random() < p) item[name] = value();
  };
  maybe(0.8, "s", () => ({ S: pick(random, WORDS) }));
  maybe(0.7, "n", () => ({ N: pick(random, NUMBERS) }));
  maybe(0.4, "ss", () => ({
    SS: [...new Set([pick(random, WORDS.filter(Boolean)), pick(random, WORDS.filter(Boolean))])],
  }));
  maybe(0.2, "ns", () => ({ NS: ["1", "3"] }));
  maybe(0.4, "lst", () => ({
    L: [{ S: "apple" }, { N: "2" }, { BOOL: false }].slice(0, 1 + Math.floor(random() * 3)),
  }));
  maybe(0.4, "m", () => ({ M: { x: { N: pick(random, ["1", "2"]) }, deep: { M: { y: { NULL: true } } } } }));
  maybe(0.3, "flag", () => ({ BOOL: random() < 0.5 }));
  maybe(0.1, "nul", () => ({ NULL: true }));
  maybe(0.15, "bin", () => ({ B: Uint8Array.from([1, 2, Math.floor(random() * 256)]) }));
  if (indexed) {
    maybe(0.6, "g", () => ({ S: pick(random, ["g1", "g2"]) }));
    maybe(0.5, "l", () => ({ S: pick(random, WORDS.filter(Boolean)) }));
  }
  return item;
}

const maybeCondition = (random: Random, p: number): Part | undefined =>
  random() < p ? conditionPart(random) : undefined;

function table(random: Random): { name: string; key: () => Av; indexed: boolean } {
  return random() < 0.7
    ? { name: RANGE_TABLE, key: () => rangeKey(random), indexed: true }
    : { name: HASH_TABLE, key: () => hashKey(random), indexed: false };
}

function putItem(random: Random): OracleCall {
  const t = table(random);
  const input: Record<string, unknown> = {
    TableName: t.name,
    Item: randomItem(random, t.key(), t.indexed),
    ...expressionFields({ ConditionExpression: maybeCondition(random, 0.4) }),
  };
  if (random() < 0.5) input.ReturnValues = pick(random, ["NONE", "ALL_OLD"]);
  if (random() < 0.2) input.ReturnValuesOnConditionCheckFailure = "ALL_OLD";
  return { action: "PutItem", input, note: "generated put" };
}

function updateItem(random: Random): OracleCall {
  const t = table(random);
  const input: Record<string, unknown> = {
    TableName: t.name,
    Key: t.key(),
    ...expressionFields({
      UpdateExpression: updatePart(random),
      ConditionExpression: maybeCondition(random, 0.3),
    }),
  };
  if (random() < 0.7)
    input.ReturnValues = pick(random, ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]);
  if (random() < 0.2) input.ReturnValuesOnConditionCheckFailure = "ALL_OLD";
  return { action: "UpdateItem", input, note: "generated update" };
}

function deleteItem(random: Random): OracleCall {
  const t = table(random);
  const input: Record<string, unknown> = {
    TableName: t.name,
    Key: t.key(),
    ...expressionFields({ ConditionExpression: maybeCondition(random, 0.4) }),
  };
  if (random() < 0.5) input.ReturnValues = pick(random, ["NONE", "ALL_OLD"]);
  return { action: "DeleteItem", input, note: "generated delete" };
}

function getItem(random: Random): OracleCall {
  const t = table(random);
  const input: Record<string, unknown> = { TableName: t.name, Key: t.key() };
  if (random() < 0.3) input.ProjectionExpression = pick(random, ["s, n", "m.x, lst[0]", "pk, #f", "ss"]);
  if (input.ProjectionExpression === "pk, #f") input.ExpressionAttributeNames = { "#f": "flag" };
  if (random() < 0.3) input.ConsistentRead = true;
  return { action: "GetItem", input, note: "generated get" };
}

function query(random: Random): OracleCall {
  const onIndex = random() < 0.35 ? pick(random, [GSI, GSI_INCLUDE, LSI]) : undefined;
  const sortRanges: Part[] = [
    { text: "sk > :lo", values: { ":lo": { N: "2" } } },
    { text: "sk BETWEEN :lo AND :hi", values: { ":lo": { N: "2" }, ":hi": { N: "4.5" } } },
    { text: "sk <= :hi", values: { ":hi": { N: "3" } } },
    { text: "sk = :at", values: { ":at": { N: "1.0" } } },
  ];
  let key: Part;
  if (onIndex === GSI || onIndex === GSI_INCLUDE) {
    key = { text: "g = :g", values: { ":g": { S: pick(random, ["g1", "g2"]) } } };
    if (onIndex === GSI && random() < 0.5) {
      const range = pick(random, sortRanges);
      key = { text: `${key.text} AND ${range.text}`, values: { ...key.values, ...range.values } };
    }
  } else {
    key = { text: "pk = :pk", values: { ":pk": { S: pick(random, PKS) } } };
    if (onIndex === LSI && random() < 0.5)
      key = { text: "pk = :pk AND begins_with(l, :p)", values: { ...key.values, ":p": { S: "b" } } };
    else if (!onIndex && random() < 0.6) {
      const range = pick(random, sortRanges);
      key = { text: `${key.text} AND ${range.text}`, values: { ...key.values, ...range.values } };
    }
  }
  // Keys of a fixed part may name placeholders the range does not give: only the used ones stay.
  const used = Object.fromEntries(
    Object.entries(key.values ?? {}).filter(([name]) => new RegExp(`${name}\\b`).test(key.text)),
  );
  const filter = onIndex === LSI ? undefined : maybeCondition(random, 0.3);
  const input: Record<string, unknown> = {
    TableName: RANGE_TABLE,
    ...(onIndex ? { IndexName: onIndex } : {}),
    ...expressionFields({ KeyConditionExpression: { ...key, values: used }, FilterExpression: filter }),
  };
  if (random() < 0.5) input.Limit = 1 + Math.floor(random() * 3);
  if (random() < 0.3) input.ScanIndexForward = false;
  if (random() < 0.15) input.Select = "COUNT";
  if (!onIndex && random() < 0.2) input.ConsistentRead = true;
  // Ties on an index's sort key come back in an order DynamoDB does not specify.
  return { action: "QueryAll", input, note: "generated query", ...(onIndex ? { unordered: true } : {}) };
}

function scan(random: Random): OracleCall {
  const t = table(random);
  const input: Record<string, unknown> = {
    TableName: t.name,
    ...expressionFields({ FilterExpression: maybeCondition(random, 0.5) }),
  };
  if (t.indexed && random() < 0.25) input.IndexName = pick(random, [GSI, LSI, GSI_INCLUDE]);
  if (random() < 0.5) input.Limit = 1 + Math.floor(random() * 5);
  // Every segment is read (calls.ts): which items a segment holds is the service's own hashing.
  if (random() < 0.2) input.TotalSegments = 1 + Math.floor(random() * 3);
  if (random() < 0.1) input.Select = "COUNT";
  return { action: "ScanAll", input, note: "generated scan", unordered: true };
}

function distinctKeys(n: number, key: () => Av): Av[] {
  const seen = new Map<string, Av>();
  for (let i = 0; i < n * 3 && seen.size < n; i++) {
    const k = key();
    seen.set(JSON.stringify(k), k);
  }
  return [...seen.values()];
}

function batchWrite(random: Random): OracleCall {
  const requests: Record<string, unknown[]> = {};
  for (const t of [table(random), table(random)]) {
    requests[t.name] ??= [];
    const keys = distinctKeys(1 + Math.floor(random() * 4), t.key).filter(
      (k) => !(requests[t.name] ?? []).some((r) => JSON.stringify(r).includes(JSON.stringify(k))),
    );
    for (const k of keys) {
      requests[t.name]?.push(
        random() < 0.7
          ? { PutRequest: { Item: randomItem(random, k, t.indexed) } }
          : { DeleteRequest: { Key: k } },
      );
    }
  }
  return { action: "BatchWriteItem", input: { RequestItems: requests }, note: "generated batch write" };
}

function batchGet(random: Random): OracleCall {
  const requests: Record<string, unknown> = {};
  for (const t of [table(random), table(random)]) {
    if (requests[t.name]) continue;
    const keys = distinctKeys(1 + Math.floor(random() * 4), t.key);
    requests[t.name] = random() < 0.3 ? { Keys: keys, ProjectionExpression: "pk, s" } : { Keys: keys };
  }
  return { action: "BatchGetItem", input: { RequestItems: requests }, note: "generated batch get" };
}

function transactWrite(random: Random): OracleCall {
  const t = table(random);
  const items = distinctKeys(1 + Math.floor(random() * 3), t.key).map((key) => {
    const kind = pick(random, ["Put", "Update", "Delete", "ConditionCheck"]);
    const condition = maybeCondition(random, kind === "ConditionCheck" ? 1 : 0.4);
    const failure = random() < 0.3 ? { ReturnValuesOnConditionCheckFailure: "ALL_OLD" } : {};
    if (kind === "Put")
      return {
        Put: {
          TableName: t.name,
          Item: randomItem(random, key, t.indexed),
          ...expressionFields({ ConditionExpression: condition }),
          ...failure,
        },
      };
    if (kind === "Update")
      return {
        Update: {
          TableName: t.name,
          Key: key,
          ...expressionFields({ UpdateExpression: updatePart(random), ConditionExpression: condition }),
          ...failure,
        },
      };
    if (kind === "Delete")
      return {
        Delete: {
          TableName: t.name,
          Key: key,
          ...expressionFields({ ConditionExpression: condition }),
          ...failure,
        },
      };
    return {
      ConditionCheck: {
        TableName: t.name,
        Key: key,
        ...expressionFields({ ConditionExpression: condition }),
        ...failure,
      },
    };
  });
  return { action: "TransactWriteItems", input: { TransactItems: items }, note: "generated transaction" };
}

function transactGet(random: Random): OracleCall {
  const t = table(random);
  const items = distinctKeys(1 + Math.floor(random() * 3), t.key).map((Key) => ({
    Get: { TableName: t.name, Key },
  }));
  return {
    action: "TransactGetItems",
    input: { TransactItems: items },
    note: "generated transactional read",
  };
}

const KINDS: readonly [number, (random: Random) => OracleCall][] = [
  [18, putItem],
  [18, updateItem],
  [7, deleteItem],
  [12, getItem],
  [14, query],
  [7, scan],
  [6, batchWrite],
  [5, batchGet],
  [9, transactWrite],
  [4, transactGet],
];

/** `count` item calls from `seed`. */
export function generateCalls(seed: number, count: number): OracleCall[] {
  const random = seededRandom(seed);
  const total = KINDS.reduce((sum, [weight]) => sum + weight, 0);
  return Array.from({ length: count }, (_, i) => {
    let roll = random() * total;
    for (const [weight, make] of KINDS) {
      roll -= weight;
      if (roll < 0) {
        const call = make(random);
        return { ...call, note: `${call.note}, seed ${seed} step ${i}` };
      }
    }
    return putItem(random);
  });
}
