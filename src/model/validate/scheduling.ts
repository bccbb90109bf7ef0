/** Reads the schedule-driven parts of a definition: `schedules` and functions' provisioned concurrency. */
import type { ProvisionedConcurrencySpec, ScheduleSpec } from "../schedule/spec.ts";
import type { AppDraft } from "./draft.ts";
import { readProvisioned } from "./provisioned.ts";
import { readSchedules } from "./schedules.ts";
import { type Fields, type Issues, isRecord } from "./values.ts";

export interface Scheduling {
  readonly schedules: Record<string, ScheduleSpec> | undefined;
  readonly provisioned: Map<string, ProvisionedConcurrencySpec>;
}

export function readScheduling(issues: Issues, definition: Fields, draft: AppDraft): Scheduling {
  const buses = isRecord(definition.buses) ? Object.keys(definition.buses) : [];
  const schedules = readSchedules(issues, draft.name, definition, {
    functions: new Set(draft.functions.keys()),
    queues: new Set(draft.queues.keys()),
    buses: new Set(buses),
  });
  const reserved = new Map([...draft.functions.values()].map((fn) => [fn.name, fn.reservedConcurrency]));
  return { schedules, provisioned: readProvisioned(issues, definition, reserved) };
}
