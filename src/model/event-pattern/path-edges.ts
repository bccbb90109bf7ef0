import type { EventField } from "./flatten-event.ts";
import { test } from "./match.ts";
import type { Condition, Matcher } from "./types.ts";

/** A step in the rule index: taking it means `condition` held; `child` holds what follows. */
export interface Edge<N> {
  readonly condition: Condition;
  readonly child: N;
  /** Number of rule branches that pass through this edge. */
  refs: number;
  /** Marks the edge as already collected for the current field (see PathEdges.collect). */
  stamp: number;
}

/**
 * Every edge leaving one index node on one field path, filed by how a value can reach it: exact
 * values, prefixes and suffixes by lookup, the rest (numeric ranges, CIDR, wildcards,
 * anything-but) by testing each in turn.
 */
export class PathEdges<N> {
  readonly byKey = new Map<string, Edge<N>>();
  readonly absent: Edge<N>[] = [];
  private readonly exact = new Map<string, Edge<N>[]>();
  private ipExact = 0;
  private readonly affixes = new Map<string, AffixTable<N>>();
  private readonly any: Edge<N>[] = [];
  private readonly scan: { matcher: Matcher; edge: Edge<N> }[] = [];

  get size(): number {
    return this.byKey.size;
  }

  add(edge: Edge<N>): void {
    this.byKey.set(edge.condition.key, edge);
    if (edge.condition.absentOk) this.absent.push(edge);
    for (const m of edge.condition.present) this.file(m, edge, true);
  }

  remove(edge: Edge<N>): void {
    this.byKey.delete(edge.condition.key);
    if (edge.condition.absentOk) drop(this.absent, edge);
    for (const m of edge.condition.present) this.file(m, edge, false);
  }

  /**
   * Appends to `out` each edge whose condition accepts `field`, once: `stamp` must be new for
   * every call (edges remember the last stamp they were collected under).
   */
  collect(field: EventField, stamp: number, out: Edge<N>[]): void {
    collectList(this.exact.get(field.key), stamp, out);
    if (this.ipExact > 0) {
      const ip = field.ipKey;
      if (ip !== undefined) collectList(this.exact.get(ip), stamp, out);
    }
    if (typeof field.value === "string") {
      for (const table of this.affixes.values()) {
        const value = table.ignoreCase ? field.lower : field.value;
        table.lookup(value, stamp, out);
      }
    }
    collectList(this.any, stamp, out);
    for (const { matcher, edge } of this.scan) {
      if (edge.stamp !== stamp && test(matcher, field)) {
        edge.stamp = stamp;
        out.push(edge);
      }
    }
  }

  private file(m: Matcher, edge: Edge<N>, adding: boolean): void {
    switch (m.kind) {
      case "exact":
        if (m.key.startsWith("i")) this.ipExact += adding ? 1 : -1;
        update(this.exact, m.key, edge, adding);
        return;
      case "prefix":
      case "suffix":
        this.table(`${m.kind}${m.ignoreCase ? "/i" : ""}`).update(m.value, edge, adding);
        return;
      case "equals-ignore-case":
        this.table("eic/i").update(m.lower, edge, adding);
        return;
      case "exists":
        if (adding) this.any.push(edge);
        else drop(this.any, edge);
        return;
      default:
        if (adding) this.scan.push({ matcher: m, edge });
        else {
          const at = this.scan.findIndex((s) => s.matcher === m && s.edge === edge);
          if (at >= 0) this.scan.splice(at, 1);
        }
    }
  }

  private table(name: string): AffixTable<N> {
    let table = this.affixes.get(name);
    if (!table) {
      const kind = name.startsWith("prefix") ? "prefix" : name.startsWith("suffix") ? "suffix" : "whole";
      table = new AffixTable<N>(kind, name.endsWith("/i"));
      this.affixes.set(name, table);
    }
    return table;
  }
}

function collectList<N>(list: readonly Edge<N>[] | undefined, stamp: number, out: Edge<N>[]): void {
  if (list === undefined) return;
  for (const edge of list) {
    if (edge.stamp === stamp) continue;
    edge.stamp = stamp;
    out.push(edge);
  }
}

/**
 * Strings (prefixes, suffixes or whole lower-cased values) by text, with the distinct lengths
 * present, so a value needs one lookup per length rather than one test per rule.
 */
class AffixTable<N> {
  readonly values = new Map<string, Edge<N>[]>();
  private lengths: number[] = [];

  constructor(
    readonly kind: "prefix" | "suffix" | "whole",
    readonly ignoreCase: boolean,
  ) {}

  update(text: string, edge: Edge<N>, adding: boolean): void {
    update(this.values, text, edge, adding);
    this.lengths = [...new Set([...this.values.keys()].map((k) => k.length))].sort((a, b) => a - b);
  }

  lookup(value: string, stamp: number, out: Edge<N>[]): void {
    if (this.kind === "whole") {
      collectList(this.values.get(value), stamp, out);
      return;
    }
    for (const length of this.lengths) {
      if (length > value.length) return;
      const part = this.kind === "prefix" ? value.slice(0, length) : value.slice(value.length - length);
      collectList(this.values.get(part), stamp, out);
    }
  }
}

function update<K, E>(map: Map<K, E[]>, key: K, edge: E, adding: boolean): void {
  const list = map.get(key);
  if (adding) {
    if (list) list.push(edge);
    else map.set(key, [edge]);
  } else if (list) {
    drop(list, edge);
    if (list.length === 0) map.delete(key);
  }
}

function drop<E>(list: E[], item: E): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}
