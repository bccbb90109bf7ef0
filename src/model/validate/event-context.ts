import type { FunctionDraft, QueueDraft } from "./draft.ts";

/** What the events section is checked against: the app's name and the queues and functions it defines. */
export interface EventsContext {
  readonly app: string | undefined;
  readonly queues: ReadonlyMap<string, QueueDraft>;
  readonly functions: ReadonlyMap<string, FunctionDraft>;
}
