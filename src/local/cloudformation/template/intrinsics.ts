/**
 * Intrinsic functions: Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::Base64,
 * Fn::GetAZs, Fn::FindInMap, Fn::If and the condition functions. Values that depend on a resource
 * not made yet resolve to `Unresolved` (a change set's "dynamic" evaluation).
 */
import { validationError } from "../errors.ts";
import { evaluateConditionFunction } from "./conditions.ts";
import type { EvalScope } from "./scope.ts";

/** `AWS::NoValue`: the property (or list member) is removed. */
const NO_VALUE: unique symbol = Symbol("AWS::NoValue");

export interface UnresolvedRef {
  readonly logicalId: string;
  /** Set for `Fn::GetAtt` (and `${Res.Attr}`). */
  readonly attribute?: string;
}

/** A value that cannot be known until the resources it names exist. */
export class Unresolved {
  constructor(readonly refs: readonly UnresolvedRef[]) {}
}

export function isUnresolved(value: unknown): boolean {
  if (value instanceof Unresolved) return true;
  if (Array.isArray(value)) return value.some(isUnresolved);
  if (typeof value === "object" && value !== null) return Object.values(value).some(isUnresolved);
  return false;
}

function unresolvedRefs(value: unknown, into: UnresolvedRef[] = []): UnresolvedRef[] {
  if (value instanceof Unresolved) into.push(...value.refs);
  else if (Array.isArray(value)) for (const v of value) unresolvedRefs(v, into);
  else if (typeof value === "object" && value !== null)
    for (const v of Object.values(value)) unresolvedRefs(v, into);
  return into;
}

/** The refs an unresolved value waits for. */
export function waitsFor(value: unknown): UnresolvedRef[] {
  return unresolvedRefs(value);
}

/** Resolves every intrinsic function in `value`; `NO_VALUE` members are dropped. */
export function resolveValue(value: unknown, scope: EvalScope): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => resolveValue(v, scope)).filter((v) => v !== NO_VALUE);
  }
  if (typeof value !== "object" || value === null) return value;
  const keys = Object.keys(value);
  const [only] = keys;
  if (
    keys.length === 1 &&
    only !== undefined &&
    (only === "Ref" || only.startsWith("Fn::") || only === "Condition")
  ) {
    const argument = (value as Record<string, unknown>)[only];
    if (only !== "Condition") return intrinsic(only, argument, scope);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const resolved = resolveValue(v, scope);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function intrinsic(name: string, argument: unknown, scope: EvalScope): unknown {
  switch (name) {
    case "Ref":
      return ref(argument, scope);
    case "Fn::GetAtt":
      return getAtt(argument, scope);
    case "Fn::Sub":
      return sub(argument, scope);
    case "Fn::Join":
      return join(argument, scope);
    case "Fn::Select":
      return select(argument, scope);
    case "Fn::Split":
      return split(argument, scope);
    case "Fn::Base64": {
      const text = resolveValue(argument, scope);
      if (text instanceof Unresolved) return text;
      return Buffer.from(expectString(text, "Fn::Base64")).toString("base64");
    }
    case "Fn::GetAZs": {
      const region = resolveValue(argument, scope);
      const name =
        region === "" || region === undefined ? scope.pseudo.region : expectString(region, "Fn::GetAZs");
      return ["a", "b", "c"].map((zone) => `${name}${zone}`);
    }
    case "Fn::FindInMap":
      return findInMap(argument, scope);
    case "Fn::If":
      return fnIf(argument, scope);
    case "Fn::ImportValue":
      throw validationError(
        `Template error: the local cloud does not keep stack exports, so Fn::ImportValue ${JSON.stringify(argument)} cannot be resolved. Pass the value as a parameter instead.`,
      );
    case "Fn::Equals":
    case "Fn::And":
    case "Fn::Or":
    case "Fn::Not":
      return evaluateConditionFunction(name, argument, scope, resolveValue);
    default:
      throw validationError(
        `Template format error: Unrecognized intrinsic function ${name}; the local cloud does not support it.`,
      );
  }
}

function ref(argument: unknown, scope: EvalScope): unknown {
  if (typeof argument !== "string")
    throw validationError("Template error: every Ref object must have a single String value.");
  const p = scope.pseudo;
  switch (argument) {
    case "AWS::Region":
      return p.region;
    case "AWS::AccountId":
      return p.accountId;
    case "AWS::Partition":
      return p.partition;
    case "AWS::StackName":
      return p.stackName;
    case "AWS::StackId":
      return p.stackId;
    case "AWS::URLSuffix":
      return p.urlSuffix;
    case "AWS::NoValue":
      return NO_VALUE;
    case "AWS::NotificationARNs":
      return [];
  }
  if (argument in scope.parameters) return scope.parameters[argument];
  if (!scope.declared.has(argument)) {
    throw validationError(
      `Template format error: Unresolved resource dependencies [${argument}] in the Resources block of the template`,
    );
  }
  const resource = scope.resource(argument);
  return resource === undefined ? new Unresolved([{ logicalId: argument }]) : resource.physicalId;
}

export function getAttTarget(argument: unknown): [string, string] {
  if (typeof argument === "string") {
    const dot = argument.indexOf(".");
    if (dot > 0) return [argument.slice(0, dot), argument.slice(dot + 1)];
  }
  if (
    Array.isArray(argument) &&
    argument.length === 2 &&
    typeof argument[0] === "string" &&
    typeof argument[1] === "string"
  ) {
    return [argument[0], argument[1]];
  }
  throw validationError(
    `Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the attribute (got ${JSON.stringify(argument)}).`,
  );
}

function attribute(logicalId: string, name: string, scope: EvalScope): unknown {
  if (!scope.declared.has(logicalId)) {
    throw validationError(
      `Template error: instance of Fn::GetAtt references undefined resource ${logicalId}`,
    );
  }
  const resource = scope.resource(logicalId);
  if (resource === undefined || scope.attributesKnown?.(logicalId) === false) {
    return new Unresolved([{ logicalId, attribute: name }]);
  }
  if (!(name in resource.attributes)) {
    throw validationError(
      `Template error: resource ${logicalId} does not support attribute type ${name} in Fn::GetAtt`,
    );
  }
  return resource.attributes[name];
}

function getAtt(argument: unknown, scope: EvalScope): unknown {
  const [logicalId, name] = getAttTarget(argument);
  return attribute(logicalId, name, scope);
}

/** `${Name}`, `${Res.Attr}` and `${!Literal}` placeholders of a Fn::Sub string. */
export const SUB_PLACEHOLDER = /\$\{([^}]*)\}/g;

function sub(argument: unknown, scope: EvalScope): unknown {
  let template: unknown = argument;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(argument)) {
    if (argument.length !== 2 || typeof argument[1] !== "object" || argument[1] === null) {
      throw validationError("Template error: Fn::Sub takes a string or a [string, {variables}] list.");
    }
    template = argument[0];
    variables = Object.fromEntries(
      Object.entries(argument[1] as Record<string, unknown>).map(([k, v]) => [k, resolveValue(v, scope)]),
    );
  }
  if (typeof template !== "string")
    throw validationError("Template error: the string of Fn::Sub must be a String.");
  const waiting: unknown[] = [];
  const result = template.replace(SUB_PLACEHOLDER, (whole, inner: string) => {
    if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    let value: unknown;
    if (name in variables) value = variables[name];
    else if (name.includes(".") && !name.startsWith("AWS::")) {
      const dot = name.indexOf(".");
      value = attribute(name.slice(0, dot), name.slice(dot + 1), scope);
    } else value = ref(name, scope);
    if (isUnresolved(value)) {
      waiting.push(value);
      return whole;
    }
    if (Array.isArray(value)) return value.join(",");
    return String(value);
  });
  return waiting.length > 0 ? new Unresolved(unresolvedRefs(waiting)) : result;
}

function join(argument: unknown, scope: EvalScope): unknown {
  if (!Array.isArray(argument) || argument.length !== 2)
    throw validationError("Template error: Fn::Join takes [delimiter, [values]].");
  const delimiter = expectString(argument[0], "Fn::Join delimiter");
  const list = resolveValue(argument[1], scope);
  if (isUnresolved(list)) return new Unresolved(unresolvedRefs(list));
  if (!Array.isArray(list))
    throw validationError("Template error: the second argument of Fn::Join must be a list.");
  return list.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(delimiter);
}

function select(argument: unknown, scope: EvalScope): unknown {
  if (!Array.isArray(argument) || argument.length !== 2)
    throw validationError("Template error: Fn::Select takes [index, [values]].");
  const index = Number(resolveValue(argument[0], scope));
  const list = resolveValue(argument[1], scope);
  if (list instanceof Unresolved) return list;
  if (!Array.isArray(list))
    throw validationError("Template error: the second argument of Fn::Select must be a list.");
  if (!Number.isInteger(index) || index < 0 || index >= list.length) {
    throw validationError(
      `Template error: Fn::Select cannot select nonexistent value at index ${argument[0]}`,
    );
  }
  return list[index];
}

function split(argument: unknown, scope: EvalScope): unknown {
  if (!Array.isArray(argument) || argument.length !== 2)
    throw validationError("Template error: Fn::Split takes [delimiter, string].");
  const delimiter = expectString(argument[0], "Fn::Split delimiter");
  const text = resolveValue(argument[1], scope);
  if (text instanceof Unresolved) return text;
  return expectString(text, "Fn::Split").split(delimiter);
}

function findInMap(argument: unknown, scope: EvalScope): unknown {
  if (!Array.isArray(argument) || argument.length !== 3)
    throw validationError("Template error: Fn::FindInMap takes [map, top key, second key].");
  const [map, top, second] = argument.map((a) => expectString(resolveValue(a, scope), "Fn::FindInMap"));
  const value = scope.mappings?.[map as string]?.[top as string]?.[second as string];
  if (value === undefined) {
    throw validationError(`Template error: Unable to get mapping for ${map}::${top}::${second}`);
  }
  return value;
}

function fnIf(argument: unknown, scope: EvalScope): unknown {
  if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== "string") {
    throw validationError(
      "Template error: Fn::If requires a list argument with three elements: [condition, value if true, value if false].",
    );
  }
  const [name, whenTrue, whenFalse] = argument as [string, unknown, unknown];
  if (!(name in scope.conditions))
    throw validationError(`Template format error: Unresolved condition dependency ${name} in Fn::If`);
  return resolveValue(scope.conditions[name] ? whenTrue : whenFalse, scope);
}

function expectString(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw validationError(`Template error: ${where} expects a String, got ${JSON.stringify(value)}.`);
}
