/**
 * Event pattern matching throughput: one realistic order event against 10, 100 and 1,000 rules
 * of mixed patterns (exact source and detail-type, prefixes, suffixes, numeric ranges,
 * anything-but, exists, CIDR, wildcards, $or), through the rule index and, as the baseline in the
 * same run, through a naive loop that tries every compiled rule on the event flattened once.
 */
import { compilePattern } from "../src/model/event-pattern/compile-pattern.ts";
import { flattenEvent } from "../src/model/event-pattern/flatten-event.ts";
import { matchesFlat } from "../src/model/event-pattern/match.ts";
import { RuleIndex } from "../src/model/event-pattern/pattern-index.ts";
import type { CompiledPattern } from "../src/model/event-pattern/types.ts";
import { seededRandom } from "../test/support/event-pattern-random.ts";

const RULE_COUNTS = [10, 100, 1000] as const;
const RUN_MS = 1500;

const EVENT = {
  version: "0",
  id: "0d079340-135a-c8c6-95c2-41fb8f496c53",
  "detail-type": "Order Placed",
  source: "com.acme.orders",
  account: "123456789012",
  time: "2026-03-01T10:15:30Z",
  region: "eu-west-1",
  resources: ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"],
  detail: {
    orderId: "o-7781",
    customer: { id: "c-19", tier: "gold", country: "DE" },
    total: 129.9,
    currency: "EUR",
    state: "placed",
    channel: "web",
    clientIp: "10.20.30.40",
    items: [
      { sku: "SKU-1001", qty: 2, price: 19.95 },
      { sku: "SKU-2002", qty: 1, price: 90 },
    ],
    tags: ["gift", "express"],
    invoice: "invoices/2026/03/o-7781.pdf",
  },
};

const DOMAINS = ["orders", "payments", "shipping", "inventory", "customers", "billing", "search", "auth"];
const NOUNS = ["Order", "Payment", "Shipment", "Stock", "Customer", "Invoice", "Query", "Session"];
const VERBS = ["Placed", "Updated", "Cancelled", "Failed", "Created", "Deleted", "Completed", "Expired"];

/**
 * Rules as teams write them: keyed on source and detail-type (8 sources × 64 types), refined by
 * one to three detail conditions, some in `$or`.
 */
function realisticRules(count: number): CompiledPattern[] {
  const r = seededRandom(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const refinements: (() => [string, unknown])[] = [
    () => ["state", [pick(["placed", "paid", "shipped", "cancelled"])]],
    () => ["total", [{ numeric: [">", Math.round(r() * 200), "<=", 200 + Math.round(r() * 800)] }]],
    () => ["currency", [{ "anything-but": ["USD", "GBP"] }]],
    () => ["customer", { tier: [pick(["gold", "silver", "bronze"])] }],
    () => ["channel", [{ prefix: pick(["we", "mob", "pos"]) }]],
    () => ["invoice", [{ suffix: pick([".pdf", ".xml"]) }]],
    () => ["coupon", [{ exists: false }]],
    () => ["clientIp", [{ cidr: pick(["10.20.0.0/16", "192.168.0.0/16"]) }]],
    () => ["items", { sku: [{ prefix: `SKU-${Math.floor(r() * 3)}` }] }],
    () => ["tags", [pick(["gift", "vip", "b2b"])]],
    () => ["invoice", [{ wildcard: pick(["invoices/*/03/*", "invoices/2025/*"]) }]],
  ];
  return Array.from({ length: count }, (_, i) => {
    // A popular event has subscribers: one rule in 30 listens for the benchmark's event type.
    const popular = i % 30 === 3;
    const pattern: Record<string, unknown> = {
      source: [`com.acme.${popular ? "orders" : pick(DOMAINS)}`],
      "detail-type": [popular ? "Order Placed" : `${pick(NOUNS)} ${pick(VERBS)}`],
    };
    const detail: Record<string, unknown> = {};
    const [a, av] = pick(refinements)();
    detail[a] = av;
    if (r() < 0.5) {
      const [b, bv] = pick(refinements)();
      detail[b] = bv;
    }
    if (r() < 0.1) {
      const [c, cv] = pick(refinements)();
      const [d, dv] = pick(refinements)();
      if (c !== d) detail.$or = [{ [c]: cv }, { [d]: dv }];
    }
    pattern.detail = detail;
    return compilePattern(pattern);
  });
}

function rate(fn: () => number): { perSecond: number; matched: number } {
  const warmUntil = performance.now() + 200;
  while (performance.now() < warmUntil) fn();
  let events = 0;
  let matched = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < RUN_MS) {
    for (let i = 0; i < 200; i++) matched = fn();
    events += 200;
    elapsed = performance.now() - started;
  }
  return { perSecond: (events / elapsed) * 1000, matched };
}

export async function run(): Promise<void> {
  const rows: { count: number; index: number; naive: number; matched: number }[] = [];
  for (const count of RULE_COUNTS) {
    const rules = realisticRules(count);
    const index = new RuleIndex();
    for (const [i, rule] of rules.entries()) index.add(`rule-${i}`, rule);
    const indexed = rate(() => index.match(EVENT).length);
    const naive = rate(() => {
      const flat = flattenEvent(EVENT);
      let n = 0;
      if (flat) for (const rule of rules) if (matchesFlat(rule, flat)) n++;
      return n;
    });
    if (indexed.matched !== naive.matched) throw new Error(`index and naive loop disagree at ${count} rules`);
    rows.push({ count, index: indexed.perSecond, naive: naive.perSecond, matched: indexed.matched });
  }
  console.log("one ~700-byte order event, mixed realistic rules, events matched per second");
  for (const row of rows) {
    console.log(
      `${String(row.count).padStart(5)} rules  index ${Math.round(row.index).toLocaleString("en-US").padStart(9)} ev/s` +
        `   baseline naive loop ${Math.round(row.naive).toLocaleString("en-US").padStart(9)} ev/s` +
        `   index ÷ naive ${(row.index / row.naive).toFixed(1)}×   (${row.matched} rules match)`,
    );
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && last) {
    console.log(
      `cost per event, 1,000 rules ÷ 10 rules: index ${(first.index / last.index).toFixed(2)}× (target ≤ 5×), naive loop ${(first.naive / last.naive).toFixed(2)}×`,
    );
  }
}
