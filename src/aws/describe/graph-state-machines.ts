/**
 * Step Functions state machines in `sluice describe`: in the app's graph, one node per machine,
 * an edge to each resource its tasks name and from each function that starts it; and, per
 * machine, the graph of its states: transitions (Next), Choice rules and their Default, Catch
 * edges, Parallel branches and Map processors (their last states join the state's Next), as the
 * Amazon States Language nests them (https://states-language.net/spec.html).
 */
import type { AppSpec } from "../../model/app-spec.ts";
import type { StateMachineReference, StateMachineSpec } from "../../model/state-machines.ts";

type Json = Readonly<Record<string, unknown>>;

export type StateNodeKind =
  | "start"
  | "end"
  | "Pass"
  | "Task"
  | "Choice"
  | "Wait"
  | "Succeed"
  | "Fail"
  | "Parallel"
  | "Map";

export type StateEdgeKind = "next" | "choice" | "default" | "catch" | "branch" | "iterate" | "join";

export interface StateNode {
  /** The state's path from the top, `/`-joined (`Fan/branch 0/Run`); `^start`, `^end`. */
  readonly id: string;
  readonly kind: StateNodeKind;
  readonly label: string;
  /** Its task's integration and target, a Wait's duration, a Fail's error, … */
  readonly detail: string;
  /** The Parallel or Map state it runs inside, when nested. */
  readonly parent?: string;
}

export interface StateEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: StateEdgeKind;
  readonly label?: string;
}

export interface StateMachineGraph {
  readonly name: string;
  readonly type: StateMachineSpec["type"];
  readonly nodes: readonly StateNode[];
  readonly edges: readonly StateEdge[];
}

export const START_ID = "^start";
export const END_ID = "^end";

/** The states of one machine and how control moves between them. */
export function stateMachineGraph(machine: StateMachineSpec): StateMachineGraph {
  const nodes: StateNode[] = [
    { id: START_ID, kind: "start", label: "Start", detail: machine.queryLanguage },
    { id: END_ID, kind: "end", label: "End", detail: "" },
  ];
  const edges: StateEdge[] = [];
  const starts = addMachine(machine.definition, [], undefined, END_ID, machine.references, nodes, edges);
  if (starts !== undefined) edges.unshift({ from: START_ID, to: starts, kind: "next" });
  return { name: machine.name, type: machine.type, nodes, edges };
}

/**
 * Adds a (sub-)machine's states; `exit` is where its terminal states lead (the end, or the
 * enclosing Parallel or Map state's Next). Returns the id of its StartAt state.
 */
function addMachine(
  machine: Json,
  prefix: readonly string[],
  parent: string | undefined,
  exit: string,
  references: readonly StateMachineReference[],
  nodes: StateNode[],
  edges: StateEdge[],
): string | undefined {
  const states = machine.States;
  if (!isObject(states)) return undefined;
  const id = (name: string) => [...prefix, name].join("/");
  for (const [name, raw] of Object.entries(states)) {
    if (!isObject(raw)) continue;
    const state = raw;
    const path = [...prefix, name];
    const from = id(name);
    const kind = stateKind(state.Type);
    nodes.push({
      id: from,
      kind,
      label: name,
      detail: detail(state, kind, references, path),
      ...(parent !== undefined ? { parent } : {}),
    });
    const next = typeof state.Next === "string" ? id(state.Next) : undefined;
    const after = next ?? (kind === "Succeed" || kind === "Fail" || state.End === true ? exit : undefined);
    if (kind === "Choice") {
      const choices = Array.isArray(state.Choices) ? state.Choices : [];
      choices.forEach((choice: unknown, index: number) => {
        if (isObject(choice) && typeof choice.Next === "string") {
          edges.push({ from, to: id(choice.Next), kind: "choice", label: choiceLabel(choice, index) });
        }
      });
      if (typeof state.Default === "string")
        edges.push({ from, to: id(state.Default), kind: "default", label: "default" });
    } else if (kind === "Fail") {
      edges.push({ from, to: END_ID, kind: "next", label: "fails" });
    } else if (kind === "Parallel" || kind === "Map") {
      const join = after ?? exit;
      const bodies =
        kind === "Parallel"
          ? (Array.isArray(state.Branches) ? state.Branches : []).map((branch: unknown, index: number) => ({
              body: branch,
              segment: [...path, `branch ${index}`],
              label: `branch ${index + 1}`,
            }))
          : [{ body: state.ItemProcessor ?? state.Iterator, segment: path, label: "each item" }];
      for (const { body, segment, label } of bodies) {
        if (!isObject(body)) continue;
        const first = addMachine(body, segment, from, join, references, nodes, edges);
        if (first !== undefined)
          edges.push({ from, to: first, kind: kind === "Map" ? "iterate" : "branch", label });
      }
    } else if (after !== undefined) {
      edges.push({ from, to: after, kind: "next" });
    }
    for (const catcher of Array.isArray(state.Catch) ? state.Catch : []) {
      if (isObject(catcher) && typeof catcher.Next === "string") {
        const errors = Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.join(", ") : "";
        edges.push({ from, to: id(catcher.Next), kind: "catch", label: `catch ${errors}` });
      }
    }
  }
  // A nested machine's terminal states join the enclosing state's Next: mark them "join".
  if (prefix.length > 0) {
    for (const edge of edges) {
      if (
        edge.to === exit &&
        edge.kind === "next" &&
        edge.label === undefined &&
        edge.from.startsWith(`${prefix.join("/")}/`)
      ) {
        (edge as { kind: StateEdgeKind }).kind = "join";
      }
    }
  }
  return typeof machine.StartAt === "string" ? id(machine.StartAt) : undefined;
}

function stateKind(type: unknown): StateNodeKind {
  const kinds: readonly StateNodeKind[] = [
    "Pass",
    "Task",
    "Choice",
    "Wait",
    "Succeed",
    "Fail",
    "Parallel",
    "Map",
  ];
  return kinds.find((kind) => kind === type) ?? "Pass";
}

/** A short second line: what a task calls and on what, how long a Wait waits, what a Fail fails with. */
function detail(
  state: Json,
  kind: StateNodeKind,
  references: readonly StateMachineReference[],
  path: readonly string[],
): string {
  switch (kind) {
    case "Task": {
      const resource = typeof state.Resource === "string" ? state.Resource : "";
      const service = resource.replace(/^arn:[^:]+:states:::/, "").replace(/^arn:[^:]+:lambda:.*$/, "lambda");
      const target = references.find((r) => samePath(r.statePath, path));
      return target ? `${service} · ${target.name}` : service;
    }
    case "Wait":
      for (const key of ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]) {
        if (state[key] !== undefined) return `${key} ${String(state[key])}`;
      }
      return "";
    case "Fail":
      return typeof state.Error === "string" ? state.Error : "";
    case "Map":
      return state.MaxConcurrency !== undefined ? `max concurrency ${String(state.MaxConcurrency)}` : "";
    case "Parallel":
      return `${Array.isArray(state.Branches) ? state.Branches.length : 0} branches`;
    default:
      return "";
  }
}

/** `$.kind == "ok"`-like text for a JSONPath rule, the Condition for JSONata, else `rule <n>`. */
function choiceLabel(choice: Json, index: number): string {
  if (typeof choice.Condition === "string") return choice.Condition;
  const variable = typeof choice.Variable === "string" ? choice.Variable : undefined;
  const test = Object.keys(choice).find(
    (key) =>
      key !== "Variable" && key !== "Next" && key !== "Comment" && key !== "Assign" && key !== "Output",
  );
  if (variable !== undefined && test !== undefined)
    return `${variable} ${test} ${JSON.stringify(choice[test])}`;
  return `rule ${index + 1}`;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The app-level picture: each machine and the resources its tasks name. */
export interface MachineNode {
  readonly id: string;
  readonly kind: "stateMachine";
  readonly label: string;
  readonly detail: string;
}

export interface MachineEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "tasks";
  readonly label: string;
}

/**
 * A node per machine and an edge to each resource it names (its tasks' functions, queues, buses,
 * tables, buckets and machines); `nodeId` gives the app graph's id of a named resource.
 */
export function stateMachinesGraph(
  spec: AppSpec,
  nodeId: (kind: StateMachineReference["kind"], name: string) => string,
): { nodes: MachineNode[]; edges: MachineEdge[] } {
  const nodes: MachineNode[] = [];
  const edges: MachineEdge[] = [];
  for (const machine of Object.values(spec.stateMachines ?? {})) {
    const id = `stateMachine:${machine.name}`;
    const states = stateMachineGraph(machine).nodes.length - 2;
    nodes.push({
      id,
      kind: "stateMachine",
      label: machine.name,
      detail: `${machine.type} · ${states} states`,
    });
    const seen = new Set<string>();
    for (const reference of machine.references) {
      const to = nodeId(reference.kind, reference.name);
      if (seen.has(to)) continue;
      seen.add(to);
      edges.push({ from: id, to, kind: "tasks", label: reference.actions.join(", ") });
    }
  }
  return { nodes, edges };
}

/** A machine as indented text: each state, its kind and detail, and where it goes. */
export function stateMachineOutline(graph: StateMachineGraph): string {
  const lines = [`${graph.name} (${graph.type})`];
  const out = (id: string) => graph.edges.filter((e) => e.from === id);
  const label = (id: string) =>
    id === END_ID ? "(end)" : (graph.nodes.find((n) => n.id === id)?.label ?? id);
  for (const node of graph.nodes) {
    if (node.kind === "end") continue;
    // One step in per enclosing Parallel or Map state (a branch's own segment is no level).
    const depth =
      node.kind === "start" ? 1 : node.id.split("/").filter((s) => !/^branch \d+$/.test(s)).length;
    const head =
      node.kind === "start"
        ? "start"
        : `${node.label} · ${node.kind}${node.detail ? ` · ${node.detail}` : ""}`;
    lines.push(`${"  ".repeat(depth)}${head}`);
    for (const edge of out(node.id)) {
      lines.push(
        `${"  ".repeat(depth + 1)}${edge.kind}${edge.label ? ` [${edge.label}]` : ""} → ${label(edge.to)}`,
      );
    }
  }
  return lines.join("\n");
}
