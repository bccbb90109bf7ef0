/**
 * Reads `buses`: custom event buses whose physical names fit EventBridge and do not shadow the
 * default bus, a function or a queue (routes name buses, functions and queues alike).
 */
import { type BusSpec, DEFAULT_BUS, physicalBusName } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { EventsContext } from "./event-context.ts";
import { checkKeys, type Issues, join, readObject, readString } from "./values.ts";

const E = LIMITS.events;

export function readBuses(
  issues: Issues,
  value: unknown,
  app: string,
  context: EventsContext,
): Record<string, BusSpec> {
  const buses: Record<string, BusSpec> = {};
  if (value === undefined) return buses;
  const raw = readObject(issues, "buses", value, `buses: { orders: {} }`);
  for (const [name, def] of Object.entries(raw ?? {})) {
    const path = join("buses", name);
    if (name === DEFAULT_BUS) {
      issues.add(
        path,
        name,
        `"default" is the account's default bus, which always exists`,
        "another name",
        `remove buses.default; rules without bus use it`,
      );
      continue;
    }
    if (context.functions.has(name) || context.queues.has(name)) {
      issues.add(
        path,
        name,
        `bus "${name}" has the name of a ${context.functions.has(name) ? "function" : "queue"}, so a route to "${name}" would be ambiguous`,
        "a name no function or queue has",
        `rename the bus, e.g. "${name}-bus"`,
      );
      continue;
    }
    const eventBusName = physicalBusName(app, name);
    if (!checkName(issues, path, name, eventBusName, E.eventBusName, "bus")) continue;
    const fields = readObject(issues, path, def, `${name}: { description: "..." }`);
    if (fields === undefined) continue;
    checkKeys(issues, path, fields, ["description"]);
    const description =
      fields.description === undefined
        ? undefined
        : readString(issues, join(path, "description"), fields.description, `description: "Orders"`);
    buses[name] = { name, eventBusName, ...(description === undefined ? {} : { description }) };
  }
  return buses;
}

/** The physical name (app prefix included) of a bus or rule must be one EventBridge accepts. */
export function checkName(
  issues: Issues,
  path: string,
  name: string,
  physical: string,
  row: { readonly max: number; readonly pattern: RegExp; readonly charset: string },
  what: string,
): boolean {
  if (row.pattern.test(name) && physical.length <= row.max) return true;
  issues.add(
    path,
    name,
    `the ${what} name "${name}" makes the physical name "${physical}", which EventBridge refuses`,
    `${row.charset}, at most ${row.max} characters with the app name prefix`,
    `rename the ${what}`,
  );
  return false;
}
