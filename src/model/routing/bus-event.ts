/**
 * The event a route to a bus puts, the same locally and on AWS: Source `sluice.<app>.<from>`,
 * DetailType `<from> result`, and the routed data as Detail when it is a JSON object, else
 * wrapped as `{ "value": data }` (EventBridge's Detail must be an object). Self-contained, because
 * the runtime bundles it into every function (scripts/check-layers.mjs allows that import).
 */
export interface RouteEventEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
}

/** The entry without its bus name, which each transport resolves (physical name or variable). */
export type RouteEvent = Omit<RouteEventEntry, "EventBusName">;

export function routeEvent(sourcePrefix: string, from: string, data: unknown): RouteEvent {
  const isObject = typeof data === "object" && data !== null && !Array.isArray(data);
  return {
    Source: `${sourcePrefix}${from}`,
    DetailType: `${from} result`,
    Detail: JSON.stringify(isObject ? data : { value: data ?? null }),
  };
}

/** `sluice.<app>.`: a routed event's Source is this and the routing function's name. */
export function routeSourcePrefix(app: string): string {
  return `sluice.${app}.`;
}
