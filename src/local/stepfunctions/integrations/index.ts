/** The Task integrations of the local Step Functions: the TaskPort over the local cloud's surfaces. */
export { localTaskPort } from "./local-task-port.ts";
export type { TaskServices } from "./task-services.ts";
