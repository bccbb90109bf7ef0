/**
 * A region's deployed Step Functions state machines, as the AppSpec the region's cloud runs: each
 * machine keyed by its physical name (unique per account and region, as on AWS), running the
 * definition its CloudFormation provider kept, with DefinitionSubstitutions applied. Its tasks
 * therefore name the deployed resources by their ARNs, URLs and physical names, which are this
 * account's own: the region's cloud serves them like any ARN written in a definition, so the
 * machine holds no Sluice names to resolve (`references` is empty).
 */

import { deepFreeze } from "../../model/normalise.ts";
import type { StateMachineLogLevel, StateMachineSpec, StateMachineType } from "../../model/state-machines.ts";
import { DEFINITION_ATTRIBUTE } from "../cloudformation/index.ts";
import { type DeployedResource, obj, type ResourceIndex, str } from "./deployed-resources.ts";

const STATE_MACHINE_TYPE = "AWS::StepFunctions::StateMachine";
const LEVELS: readonly string[] = ["ALL", "ERROR", "FATAL", "OFF"];

export function translateStateMachines(index: ResourceIndex): Record<string, StateMachineSpec> | undefined {
  const deployed = index.of(STATE_MACHINE_TYPE);
  if (deployed.length === 0) return undefined;
  const machines: Record<string, StateMachineSpec> = {};
  for (const resource of deployed) {
    const machine = stateMachineSpec(resource);
    if (machine) machines[machine.name] = machine;
    else
      index.notes.push(`state machine ${resource.physicalId}: its definition was not kept by its provider`);
  }
  return Object.keys(machines).length > 0 ? machines : undefined;
}

function stateMachineSpec(resource: DeployedResource): StateMachineSpec | undefined {
  const name = str(resource.attributes.Name);
  const text = str(resource.attributes[DEFINITION_ATTRIBUTE]);
  if (name === undefined || text === undefined) return undefined;
  let definition: Record<string, unknown>;
  try {
    definition = obj(JSON.parse(text)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const p = resource.properties;
  const logging = obj(p.LoggingConfiguration);
  const level = str(logging.Level) ?? "OFF";
  return {
    name,
    stateMachineName: name,
    type: (str(p.StateMachineType) === "EXPRESS" ? "EXPRESS" : "STANDARD") satisfies StateMachineType,
    definition: deepFreeze(definition),
    queryLanguage: definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath",
    references: [],
    logging: {
      level: (LEVELS.includes(level) ? level : "OFF") as StateMachineLogLevel,
      includeExecutionData: logging.IncludeExecutionData === true || logging.IncludeExecutionData === "true",
    },
  };
}
