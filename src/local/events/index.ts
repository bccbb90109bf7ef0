/**
 * EventBridge: buses, rules and targets, and its JSON protocol.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { EventBusService } from "./event-bus-service.ts";
export type { EventBusEvent } from "./event-delivery.ts";
export type { PutEventsEntry } from "./event-envelope.ts";
export { EVENTS_TARGET_PREFIX, handleEventsJson } from "./wire/events-json.ts";
