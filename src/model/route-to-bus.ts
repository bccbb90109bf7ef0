/**
 * The event a route to a bus puts, the same locally and on AWS (the runtime, which may import
 * only types from here, builds it the same way in aws-transport.ts): Source `sluice.<app>.<from>`,
 * DetailType `<from> result`, and the routed data as Detail when it is a JSON object, else
 * wrapped as `{ "value": data }` (EventBridge's Detail must be an object).
 */
export interface RouteEventEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
}

export function routeEventEntry(
  sourcePrefix: string,
  from: string,
  eventBusName: string,
  data: unknown,
): RouteEventEntry {
  const isObject = typeof data === "object" && data !== null && !Array.isArray(data);
  return {
    Source: `${sourcePrefix}${from}`,
    DetailType: `${from} result`,
    Detail: JSON.stringify(isObject ? data : { value: data ?? null }),
    EventBusName: eventBusName,
  };
}
