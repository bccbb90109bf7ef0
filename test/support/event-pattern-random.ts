/**
 * Random patterns and events over a small vocabulary, so that patterns and events often meet:
 * used to check the rule index against the single-pattern matcher, and by the benchmark.
 */
export type Random = () => number;

/** A small deterministic generator (mulberry32), so every run sees the same rules and events. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

const SOURCES = ["shop.orders", "shop.payments", "shop.shipping", "aws.ec2", "aws.s3"];
const TYPES = ["Order Placed", "Order Cancelled", "Payment Failed", "Object Created"];
const STATES = ["new", "paid", "shipped", "cancelled", "NEW"];
const TAGS = ["vip", "gift", "promo", "b2b"];

export function randomEvent(random: Random): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    state: pick(random, STATES),
    total: Math.round(random() * 2000) / 10,
    items: Array.from({ length: Math.floor(random() * 3) }, () => ({
      sku: pick(random, ["A-1", "A-2", "B-7"]),
      qty: Math.floor(random() * 4),
    })),
    tags: Array.from({ length: Math.floor(random() * 3) }, () => pick(random, TAGS)),
    ip: pick(random, ["10.0.0.7", "10.0.1.9", "192.168.4.2", "2001:db8::5"]),
    file: pick(random, ["reports/2026/a.csv", "images/b.png", "images/c.PNG", "notes.txt"]),
  };
  if (random() < 0.3) detail.coupon = pick(random, ["SAVE10", "save20", null]);
  return {
    version: "0",
    id: "e1",
    source: pick(random, SOURCES),
    "detail-type": pick(random, TYPES),
    account: "123456789012",
    region: pick(random, ["us-east-1", "eu-west-1"]),
    time: "2026-01-01T00:00:00Z",
    resources: [],
    detail,
  };
}

const DETAIL_CONDITIONS: ((random: Random) => [string, unknown])[] = [
  (r) => ["state", [pick(r, STATES)]],
  (r) => ["state", [{ "anything-but": [pick(r, STATES), pick(r, STATES)] }]],
  (r) => ["state", [{ "equals-ignore-case": pick(r, STATES) }]],
  (r) => ["total", [{ numeric: [">", Math.round(r() * 150), "<=", 150 + Math.round(r() * 100)] }]],
  (r) => ["total", [{ numeric: ["<", Math.round(r() * 200)] }]],
  (r) => ["tags", [pick(r, TAGS), pick(r, TAGS)]],
  (r) => ["tags", [{ exists: r() < 0.5 }]],
  () => ["coupon", [{ exists: false }, { prefix: { "equals-ignore-case": "save" } }]],
  () => ["coupon", [null]],
  (r) => ["ip", [{ cidr: pick(r, ["10.0.0.0/24", "10.0.0.0/16", "2001:db8::/32"]) }]],
  (r) => ["file", [{ suffix: pick(r, [".png", ".csv"]) }]],
  () => ["file", [{ suffix: { "equals-ignore-case": ".png" } }]],
  (r) => ["file", [{ wildcard: pick(r, ["images/*", "*/2026/*", "*.txt"]) }]],
  (r) => ["file", [{ "anything-but": { prefix: pick(r, ["images/", "reports/"]) } }]],
  (r) => [
    "items",
    { sku: [pick(r, ["A-1", "A-2", "B-7"])], qty: [{ numeric: [">=", Math.floor(r() * 3)] }] },
  ],
];

export function randomPattern(random: Random): Record<string, unknown> {
  const pattern: Record<string, unknown> = {};
  if (random() < 0.8) pattern.source = [pick(random, SOURCES)];
  if (random() < 0.6) pattern["detail-type"] = [pick(random, TYPES)];
  if (random() < 0.2) pattern.region = [{ prefix: "us-" }];
  const detail: Record<string, unknown> = {};
  const count = 1 + Math.floor(random() * 2);
  for (let i = 0; i < count; i++) {
    const [key, value] = pick(random, DETAIL_CONDITIONS)(random);
    detail[key] = value;
  }
  if (random() < 0.15) {
    const [a, av] = pick(random, DETAIL_CONDITIONS)(random);
    const [b, bv] = pick(random, DETAIL_CONDITIONS)(random);
    detail.$or = [{ [a]: av }, { [b]: bv }];
  }
  pattern.detail = detail;
  return pattern;
}
