/** The resource graph: edges from Ref, Fn::GetAtt, Fn::Sub and DependsOn; order and cycles. */
import { validationError } from "../errors.ts";
import { getAttTarget, SUB_PLACEHOLDER } from "./intrinsics.ts";
import type { ResourceDeclaration } from "./template.ts";

const PSEUDO = new Set([
  "AWS::Region",
  "AWS::AccountId",
  "AWS::Partition",
  "AWS::StackName",
  "AWS::StackId",
  "AWS::URLSuffix",
  "AWS::NoValue",
  "AWS::NotificationARNs",
]);

/** Every name a value refers to (resources or parameters), skipping the branch an Fn::If does not take. */
export function references(
  value: unknown,
  conditions: Readonly<Record<string, boolean>>,
  into = new Set<string>(),
  getAtts?: Set<string>,
): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) references(v, conditions, into, getAtts);
    return into;
  }
  if (typeof value !== "object" || value === null) return into;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [name, argument] = first;
    if (name === "Ref" && typeof argument === "string") {
      if (!PSEUDO.has(argument)) into.add(argument);
      return into;
    }
    if (name === "Fn::GetAtt") {
      const [target] = getAttTarget(argument);
      into.add(target);
      getAtts?.add(target);
      return into;
    }
    if (name === "Fn::Sub") {
      const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
      const local = new Set(Object.keys((variables as object | undefined) ?? {}));
      if (typeof text === "string") {
        for (const match of text.matchAll(SUB_PLACEHOLDER)) {
          const inner = (match[1] ?? "").trim();
          if (inner.startsWith("!") || local.has(inner) || PSEUDO.has(inner)) continue;
          const target = inner.includes(".") ? inner.slice(0, inner.indexOf(".")) : inner;
          into.add(target);
          if (inner.includes(".")) getAtts?.add(target);
        }
      }
      references(variables, conditions, into, getAtts);
      return into;
    }
    if (
      name === "Fn::If" &&
      Array.isArray(argument) &&
      typeof argument[0] === "string" &&
      argument[0] in conditions
    ) {
      references(conditions[argument[0]] ? argument[1] : argument[2], conditions, into, getAtts);
      return into;
    }
  }
  for (const v of Object.values(value)) references(v, conditions, into, getAtts);
  return into;
}

function dependsOnList(declaration: ResourceDeclaration): string[] {
  const { DependsOn } = declaration;
  if (DependsOn === undefined) return [];
  return typeof DependsOn === "string" ? [DependsOn] : [...DependsOn];
}

/**
 * Each included resource's dependencies (resources only). A name that is neither a parameter nor
 * a resource of the template is AWS's "Unresolved resource dependencies" error.
 */
export function resourceGraph(
  resources: Readonly<Record<string, ResourceDeclaration>>,
  parameters: ReadonlySet<string>,
  conditions: Readonly<Record<string, boolean>>,
): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const unresolved = new Set<string>();
  for (const [logicalId, declaration] of Object.entries(resources)) {
    const getAtts = new Set<string>();
    const names = references(declaration.Properties ?? {}, conditions, new Set(), getAtts);
    for (const target of getAtts) {
      if (!(target in resources)) {
        throw validationError(
          `Template error: instance of Fn::GetAtt references undefined resource ${target}`,
        );
      }
    }
    for (const d of dependsOnList(declaration)) names.add(d);
    const deps: string[] = [];
    for (const name of names) {
      if (name in resources) deps.push(name);
      else if (!parameters.has(name)) unresolved.add(name);
    }
    graph.set(logicalId, deps);
  }
  if (unresolved.size > 0) {
    throw validationError(
      `Template format error: Unresolved resource dependencies [${[...unresolved].join(", ")}] in the Resources block of the template`,
    );
  }
  return graph;
}

/** Resources in an order where each comes after what it depends on; template order breaks ties. */
export function topologicalOrder(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const remaining = [...graph.keys()];
  while (remaining.length > 0) {
    const index = remaining.findIndex((id) => (graph.get(id) ?? []).every((d) => done.has(d)));
    if (index < 0) {
      throw validationError(
        `Circular dependency between resources: [${inCycle(graph, remaining).join(", ")}]`,
      );
    }
    const [id] = remaining.splice(index, 1) as [string];
    order.push(id);
    done.add(id);
  }
  return order;
}

/** The blocked resources that are themselves on a cycle (not merely downstream of one). */
function inCycle(graph: ReadonlyMap<string, readonly string[]>, blocked: readonly string[]): string[] {
  const reaches = (from: string, target: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(graph.get(from) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (next === target) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(graph.get(next) ?? []));
    }
    return false;
  };
  return blocked.filter((id) => reaches(id, id)).sort();
}
