/**
 * A Step Functions engine on a temporary SQLite file and a ManualClock, with a scripted TaskPort:
 * for the engine's unit tests (no Lambda, no sockets). `reopen()` closes the engine and the file
 * and opens both again, as a restarted `dev` does.
 */
import { join } from "node:path";
import { ManualClock } from "../../src/local/clock/clock.ts";
import type { LocalStateMachine } from "../../src/local/stepfunctions/engine/engine-options.ts";
import { StepFunctionsEngine } from "../../src/local/stepfunctions/engine/step-functions-engine.ts";
import type { TaskOutcome, TaskPort, TaskRequest } from "../../src/local/stepfunctions/task-port.ts";
import { type Db, openStore } from "../../src/local/store/index.ts";
import { stateMachineArnOf } from "../../src/model/naming.ts";
import { tempDir } from "./temp.ts";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const ROLE = `arn:aws-test:iam::${ACCOUNT}:role/machine`;

export type TaskHandler = (request: TaskRequest) => TaskOutcome | Promise<TaskOutcome>;

export interface EngineRig {
  engine: StepFunctionsEngine;
  readonly clock: ManualClock;
  /** Every task request, in order. */
  readonly calls: TaskRequest[];
  /** The machine's ARN by its name. */
  arn(name: string): string;
  /** Starts an execution and lets it run as far as it goes without time passing. */
  run(machine: string, input?: unknown, name?: string): Promise<string>;
  /** Lets promise callbacks settle (no time passes). */
  settle(): Promise<void>;
  reopen(): Promise<void>;
  close(): void;
}

export function machineOf(
  name: string,
  definition: Record<string, unknown>,
  type: "STANDARD" | "EXPRESS" = "STANDARD",
): LocalStateMachine {
  return {
    name,
    stateMachineName: `app-${name}`,
    arn: stateMachineArnOf(REGION, ACCOUNT, `app-${name}`),
    type,
    roleArn: ROLE,
    definition,
  };
}

export async function openEngine(
  machines: readonly LocalStateMachine[],
  handler: TaskHandler = () => ({ kind: "succeeded", output: {} }),
): Promise<EngineRig> {
  const temp = tempDir("sluice-sfn-engine-");
  const file = join(temp.dir, "state.sqlite");
  const clock = new ManualClock();
  const calls: TaskRequest[] = [];
  let ids = 0;
  const tasks: TaskPort = {
    run: async (request) => {
      calls.push(request);
      return handler(request);
    },
  };
  // As a LocalCloud opens it: the file held alone (no lock calls per commit).
  let db: Db = openStore(file, { exclusive: true });
  const make = () =>
    new StepFunctionsEngine({
      db,
      clock,
      region: REGION,
      accountId: ACCOUNT,
      machines: () => machines,
      tasks,
      random: () => 0.5,
      newId: () => `id-${++ids}`,
    });
  const settle = () => clock.advance(0);
  const rig: EngineRig = {
    engine: make(),
    clock,
    calls,
    arn: (name) => stateMachineArnOf(REGION, ACCOUNT, `app-${name}`),
    async run(machine, input = {}, name) {
      const { executionArn } = rig.engine.startExecution({
        stateMachineArn: rig.arn(machine),
        input: JSON.stringify(input),
        ...(name ? { name } : {}),
      });
      await settle();
      return executionArn;
    },
    settle,
    async reopen() {
      rig.engine.close();
      db.close();
      db = openStore(file, { exclusive: true });
      rig.engine = make();
      rig.engine.start();
      await settle();
    },
    close() {
      rig.engine.close();
      db.close();
      temp.cleanup();
    },
  };
  rig.engine.start();
  return rig;
}

/** The history's event types in order. */
export function eventTypes(rig: EngineRig, executionArn: string): string[] {
  return rig.engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events.map((e) => e.type);
}
