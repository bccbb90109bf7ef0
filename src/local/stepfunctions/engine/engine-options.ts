/**
 * How a local cloud builds the Step Functions engine (composition: local-cloud.ts). The engine
 * keeps its executions in the app's SQLite file, runs every timer on the cloud's clock, and
 * hands every Task (except nested `states:startExecution`) to the TaskPort.
 */
import type { AslDocument, StateMachineType } from "../../../model/state-machines.ts";
import type { Clock } from "../../clock/index.ts";
import type { Db } from "../../store/index.ts";
import type { QueryLanguage } from "../language/query-language.ts";
import type { TaskPort } from "../task-port.ts";

/** One state machine as this cloud runs it: names resolved, ARNs computed. */
export interface LocalStateMachine {
  /** The Sluice name (key under `stateMachines`). */
  readonly name: string;
  /** The physical name, the last part of the ARN. */
  readonly stateMachineName: string;
  readonly arn: string;
  readonly type: StateMachineType;
  /** The role the machine runs as (the Context object's Execution.RoleArn). */
  readonly roleArn: string;
  /** The ASL document with every Sluice name resolved to this cloud's ARNs, URLs and names. */
  readonly definition: AslDocument;
  readonly logging?: { readonly level: string; readonly includeExecutionData: boolean };
  /** Epoch ms; default: when the engine first saw it. */
  readonly creationDate?: number;
}

export interface StepFunctionsEngineOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  /** Read on every call, so a reloaded definition takes effect for new executions. */
  readonly machines: () => readonly LocalStateMachine[];
  readonly tasks: TaskPort;
  /**
   * The two query languages. Tests may pass stand-ins.
   * @default the JSONPath and JSONata implementations of language/
   */
  readonly languages?: { readonly JSONPath: QueryLanguage; readonly JSONata: QueryLanguage };
  /** Jitter and ids. @default Math.random */
  readonly random?: () => number;
  /** Execution names, task tokens and Express ids. @default crypto.randomUUID */
  readonly newId?: () => string;
}
