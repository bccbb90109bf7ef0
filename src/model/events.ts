/**
 * EventBridge in the normalised app: buses, rules and their targets, defaults applied. The
 * `default` bus always exists; named buses are the app's own (`<app>-<name>` on AWS).
 */
import type { AppSpec } from "./app-spec.ts";
import type { RuleSpec } from "./events-spec.ts";
import { arn, resourcePrefix } from "./naming.ts";

export type {
  BusSpec,
  EventsSpec,
  EventTargetInput,
  EventTargetKind,
  EventTargetSpec,
  RuleSpec,
} from "./events-spec.ts";

/** The bus every account has; rules without `bus` are on it. */
export const DEFAULT_BUS = "default";

/** The physical name of a bus: `default`, or `${app}-${name}`. */
export function physicalBusName(app: string, bus: string): string {
  return bus === DEFAULT_BUS ? DEFAULT_BUS : `${app}-${bus}`;
}

export function physicalRuleName(app: string, rule: string): string {
  return `${app}-${rule}`;
}

/**
 * The physical name of one of the spec's buses: its own `eventBusName` when the spec lists it (a
 * deployed stack's buses keep the names their template gave them), else the app's naming rule.
 */
export function specBusName(spec: AppSpec, bus: string): string {
  return spec.events?.buses[bus]?.eventBusName ?? physicalBusName(resourcePrefix(spec), bus);
}

export function eventBusArn(spec: AppSpec, bus: string): string {
  return arn("events", spec.region, spec.accountId, `event-bus/${specBusName(spec, bus)}`);
}

/** Rules on the default bus have no bus segment in their ARN; rules on other buses do. */
export function ruleArn(spec: AppSpec, rule: RuleSpec): string {
  const name = rule.bus === DEFAULT_BUS ? rule.ruleName : `${specBusName(spec, rule.bus)}/${rule.ruleName}`;
  return arn("events", spec.region, spec.accountId, `rule/${name}`);
}

/** The definition name of a bus from the name or ARN a PutEvents entry gives, if it is the app's. */
export function busByName(spec: AppSpec, nameOrArn: string | undefined): string | undefined {
  if (nameOrArn === undefined || nameOrArn === "") return DEFAULT_BUS;
  const physical = nameOrArn.startsWith("arn:")
    ? nameOrArn.slice(nameOrArn.indexOf(":event-bus/") + 11)
    : nameOrArn;
  if (physical === DEFAULT_BUS) return DEFAULT_BUS;
  const buses = spec.events?.buses ?? {};
  return Object.values(buses).find((b) => b.eventBusName === physical)?.name;
}
