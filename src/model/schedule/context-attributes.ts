/**
 * EventBridge Scheduler's context attributes: keywords in a schedule's input that Scheduler
 * replaces with their values each time it invokes the target. Only Scheduler has them (a rule
 * of EventBridge has input transformers instead), and Sluice deploys schedules as
 * AWS::Scheduler::Schedule, so `dev` fills them in as the deployed schedule does.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
 */
import { isoSeconds } from "../iso-seconds.ts";

export interface ScheduleContext {
  /** `<aws.scheduler.schedule-arn>` */
  readonly scheduleArn: string;
  /** `<aws.scheduler.scheduled-time>`: the due time (epoch ms), written as `2022-03-22T18:59:43Z`. */
  readonly scheduledTimeMs: number;
  /** `<aws.scheduler.execution-id>`: unique per attempted invocation, e.g. `d32c5kddcf5bb8c3`. */
  readonly executionId: string;
  /** `<aws.scheduler.attempt-number>`: 1 for the first attempt. */
  readonly attemptNumber: number;
}

/**
 * The input with every context attribute keyword replaced by its value, as text (the keyword is
 * replaced where it stands, inside a JSON string or not). Other `<...>` text stays as written.
 */
export function fillContextAttributes(input: string, context: ScheduleContext): string {
  if (!input.includes("<aws.scheduler.")) return input;
  const values: Readonly<Record<string, string>> = {
    "<aws.scheduler.schedule-arn>": context.scheduleArn,
    "<aws.scheduler.scheduled-time>": isoSeconds(context.scheduledTimeMs),
    "<aws.scheduler.execution-id>": context.executionId,
    "<aws.scheduler.attempt-number>": String(context.attemptNumber),
  };
  return input.replace(/<aws\.scheduler\.[a-z-]+>/g, (keyword) =>
    Object.hasOwn(values, keyword) ? (values[keyword] as string) : keyword,
  );
}
