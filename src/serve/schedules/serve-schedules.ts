/**
 * `sluice serve --schedules` (issue 19): the schedules whose target is a served function, fired on
 * the serve clock and invoked on this server. The timing and the payload are the local
 * scheduler's (local/scheduler over model/schedule's rate, cron and at math, time zones, context
 * attributes), so a schedule fires here at the times and with the input it fires with in `dev`.
 *
 * No leader election: every instance of a fleet running with `schedules` fires every schedule,
 * and EventBridge Scheduler keeps firing them on Lambda too. That is why `schedules` is off by
 * default; turn it on for a fleet of one that stands in for Lambda, or for idempotent work.
 * Each server starts afresh: its cursors live in memory, a rate() schedule fires when the server
 * starts (as a schedule without StartDate does when created) and occurrences missed while it was
 * down are not delivered. Scheduler's retries of a failed invocation are not made: a failure is
 * logged and the schedule carries on.
 */
import { LocalScheduler, type ScheduledDelivery, type SchedulerEvent } from "../../local/scheduler/index.ts";
import { openStore } from "../../local/store/index.ts";
import type { ServeContext, ServeWork } from "../serve-contract.ts";
import { untilOrDeadline } from "../until-deadline.ts";

/** The schedules targeting `functions` (definition names), as ServeWork. */
export function serveSchedules(context: ServeContext, functions: readonly string[]): ServeWork {
  const served = new Set(functions);
  const schedules = Object.values(context.spec.schedules ?? {}).filter(
    (s) => s.target.kind === "function" && served.has(s.target.name),
  );
  const inFlight = new Set<Promise<void>>();
  let finishedWhileStopping = 0;
  let stopping = false;
  let running: { scheduler: LocalScheduler; close(): void } | undefined;

  const deliver = (delivery: ScheduledDelivery): void => {
    const { schedule, scheduledTimeMs, payload } = delivery;
    const name = schedule.target.name;
    const call = context
      .invoke(name, payload)
      .then(
        (result) => {
          if (result.functionError)
            context.log({
              level: "warn",
              event: "schedule-failed",
              function: name,
              schedule: schedule.name,
              scheduledTime: new Date(scheduledTimeMs).toISOString(),
              message: `function error: ${result.payload}`,
            });
        },
        (error: unknown) => {
          context.log({
            level: "error",
            event: "schedule-failed",
            function: name,
            schedule: schedule.name,
            message: (error as Error).message,
          });
        },
      )
      .finally(() => {
        inFlight.delete(call);
        if (stopping) finishedWhileStopping++;
      });
    inFlight.add(call);
  };

  const onEvent = (event: SchedulerEvent): void => {
    if (event.type === "schedule-fired")
      context.log({
        level: "info",
        event: "schedule",
        schedule: event.schedule,
        function: context.spec.schedules?.[event.schedule]?.target.name,
        scheduledTime: new Date(event.scheduledTimeMs).toISOString(),
      });
  };

  return {
    start() {
      if (running || schedules.length === 0) return;
      // The scheduler keeps its cursors in SQLite; a server's live only as long as the process.
      const db = openStore(":memory:");
      const scheduler = new LocalScheduler({
        db,
        clock: context.clock,
        schedules,
        region: context.spec.region,
        accountId: context.spec.accountId,
        deliver,
        onEvent,
      });
      running = {
        scheduler,
        close() {
          scheduler.close();
          db.close();
        },
      };
      scheduler.start();
    },
    async stop(deadlineMs) {
      stopping = true;
      running?.close();
      running = undefined;
      await untilOrDeadline(Promise.allSettled([...inFlight]), context.clock, deadlineMs);
      return { finished: finishedWhileStopping, released: 0, abandoned: inFlight.size };
    },
  };
}
