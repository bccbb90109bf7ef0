import { choose, consistent, type EventField, type FlatEvent, flattenEvent } from "./flatten-event.ts";
import { type Edge, PathEdges } from "./path-edges.ts";
import type { Branch, CompiledPattern } from "./types.ts";

interface Node {
  readonly paths: Map<string, PathEdges<Node>>;
  /** Paths at this node with an edge that holds when the path is absent. */
  readonly absentPaths: Set<string>;
  /** Rules (with the number of their branches) that match once this node is reached. */
  readonly ends: Map<string, number>;
}

/**
 * Many compiled patterns behind one `match(event)`, at a cost that grows with what the event
 * matches rather than with the number of rules. Rules are stored as a tree of conditions (in the
 * spirit of AWS's event-ruler): each branch of a pattern is a path from the root, conditions that
 * several rules share are walked once, and at each node an event value finds its next edges by
 * lookup (exact values, prefixes, suffixes, ignore-case values) rather than by trying every rule.
 */
export class RuleIndex {
  private readonly root: Node = newNode();
  private readonly rules = new Map<string, { pattern: CompiledPattern; order: number }>();
  private readonly wanted = new Map<string, number>();
  private wantedSet: Set<string> | undefined;
  private order = 0;
  private stamp = 0;

  get size(): number {
    return this.rules.size;
  }

  /** Adds a rule, replacing any rule with the same id. */
  add(ruleId: string, pattern: CompiledPattern): void {
    this.remove(ruleId);
    this.rules.set(ruleId, { pattern, order: this.order++ });
    for (const branch of pattern.branches) this.addBranch(ruleId, branch);
    this.countPaths(pattern, 1);
  }

  /** Removes a rule; returns false when there was none with that id. */
  remove(ruleId: string): boolean {
    const rule = this.rules.get(ruleId);
    if (!rule) return false;
    this.rules.delete(ruleId);
    for (const branch of rule.pattern.branches) this.removeBranch(ruleId, branch);
    this.countPaths(rule.pattern, -1);
    return true;
  }

  /** Ids of the rules the event (an object or its JSON text) matches, in the order they were added. */
  match(event: unknown): string[] {
    if (this.rules.size === 0) return [];
    this.wantedSet ??= new Set(this.wanted.keys());
    const flat = flattenEvent(event, this.wantedSet);
    if (flat === undefined) return [];
    const found = new Set<string>();
    this.visit(this.root, flat, undefined, found);
    const ids = [...found];
    if (ids.length > 1) ids.sort((a, b) => (this.rules.get(a)?.order ?? 0) - (this.rules.get(b)?.order ?? 0));
    return ids;
  }

  private visit(
    node: Node,
    flat: FlatEvent,
    chosen: ReadonlyMap<number, number> | undefined,
    found: Set<string>,
  ) {
    for (const id of node.ends.keys()) found.add(id);
    if (node.paths.size === 0) return;
    if (node.paths.size <= flat.size) {
      for (const [path, edges] of node.paths) this.step(edges, flat.get(path), flat, chosen, found);
      return;
    }
    for (const [path, fields] of flat) {
      const edges = node.paths.get(path);
      if (edges) this.step(edges, fields, flat, chosen, found);
    }
    for (const path of node.absentPaths) {
      const edges = node.paths.get(path);
      if (edges && !flat.has(path)) this.step(edges, undefined, flat, chosen, found);
    }
  }

  /** Follows the edges on one path that the event's values there (or their absence) satisfy. */
  private step(
    edges: PathEdges<Node>,
    fields: readonly EventField[] | undefined,
    flat: FlatEvent,
    chosen: ReadonlyMap<number, number> | undefined,
    found: Set<string>,
  ): void {
    if (fields === undefined) {
      for (const edge of edges.absent) this.visit(edge.child, flat, chosen, found);
      return;
    }
    for (const field of fields) {
      if (!consistent(chosen, field)) continue;
      const hits: Edge<Node>[] = [];
      edges.collect(field, ++this.stamp, hits);
      if (hits.length === 0) continue;
      const next = choose(chosen, field);
      for (const edge of hits) this.visit(edge.child, flat, next, found);
    }
  }

  private addBranch(ruleId: string, branch: Branch): void {
    let node = this.root;
    for (const condition of branch.conditions) {
      let edges = node.paths.get(condition.path);
      if (!edges) {
        edges = new PathEdges<Node>();
        node.paths.set(condition.path, edges);
      }
      let edge = edges.byKey.get(condition.key);
      if (!edge) {
        edge = { condition, child: newNode(), refs: 0, stamp: 0 };
        edges.add(edge);
        if (condition.absentOk) node.absentPaths.add(condition.path);
      }
      edge.refs++;
      node = edge.child;
    }
    node.ends.set(ruleId, (node.ends.get(ruleId) ?? 0) + 1);
  }

  private removeBranch(ruleId: string, branch: Branch): void {
    const trail: { node: Node; edges: PathEdges<Node>; edge: Edge<Node> }[] = [];
    let node = this.root;
    for (const condition of branch.conditions) {
      const edges = node.paths.get(condition.path);
      const edge = edges?.byKey.get(condition.key);
      if (!edges || !edge) return;
      trail.push({ node, edges, edge });
      node = edge.child;
    }
    const left = (node.ends.get(ruleId) ?? 1) - 1;
    if (left > 0) node.ends.set(ruleId, left);
    else node.ends.delete(ruleId);
    for (const { node: parent, edges, edge } of trail.reverse()) {
      edge.refs--;
      if (edge.refs > 0) continue;
      edges.remove(edge);
      if (edges.absent.length === 0) parent.absentPaths.delete(edge.condition.path);
      if (edges.size === 0) parent.paths.delete(edge.condition.path);
    }
  }

  private countPaths(pattern: CompiledPattern, delta: number): void {
    for (const path of pattern.paths) {
      // Every prefix of a path must be visited to reach it (`detail` before `detail.state`).
      for (let at = path.indexOf("."); ; at = path.indexOf(".", at + 1)) {
        const prefix = at < 0 ? path : path.slice(0, at);
        const count = (this.wanted.get(prefix) ?? 0) + delta;
        if (count > 0) this.wanted.set(prefix, count);
        else this.wanted.delete(prefix);
        if (at < 0) break;
      }
    }
    this.wantedSet = undefined;
  }
}

function newNode(): Node {
  return { paths: new Map(), absentPaths: new Set(), ends: new Map() };
}
