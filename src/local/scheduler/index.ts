/**
 * EventBridge Scheduler: schedules that fire on the clock, and delivery to their targets.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { ScheduledDelivery, ScheduleInfo, SchedulerEvent } from "./local-scheduler.ts";
export { LocalScheduler } from "./local-scheduler.ts";
export { deliverScheduled } from "./schedule-targets.ts";
