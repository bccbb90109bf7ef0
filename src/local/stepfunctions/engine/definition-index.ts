/**
 * One parsed ASL document and the States containers inside it (the top level, each Parallel
 * branch, each Map's ItemProcessor or legacy Iterator), looked up by a frame's path without
 * re-parsing the document per state.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
 */
import type { AslDocument } from "../../../model/state-machines.ts";
import type { AslState, QueryLanguage } from "../language/query-language.ts";
import { StatesError } from "../language/states-error.ts";

export interface StatesContainer {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

/** A path step: [state name, branch index] for a Parallel branch, [state name, -1] for a Map processor. */
export type FrameStep = readonly [string, number];

export interface Languages {
  readonly JSONPath: QueryLanguage;
  readonly JSONata: QueryLanguage;
}

export class DefinitionIndex {
  private readonly containers = new Map<string, StatesContainer>();
  readonly topLanguage: "JSONPath" | "JSONata";

  constructor(
    readonly document: AslDocument,
    private readonly languages: Languages,
  ) {
    this.containers.set("[]", document as unknown as StatesContainer);
    this.topLanguage = document.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  }

  container(path: string): StatesContainer {
    const known = this.containers.get(path);
    if (known) return known;
    const steps = JSON.parse(path) as FrameStep[];
    let current = this.document as unknown as StatesContainer;
    for (const [name, index] of steps) {
      const state = current.States[name];
      if (!state) throw new StatesError("States.Runtime", `no state named '${name}' in the definition`);
      current = childContainer(state, index);
    }
    this.containers.set(path, current);
    return current;
  }

  state(path: string, name: string): AslState {
    const state = this.container(path).States[name];
    if (!state) throw new StatesError("States.Runtime", `no state named '${name}' in the definition`);
    return state;
  }

  /** The state's QueryLanguage, else the document's (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html). */
  language(state: AslState): QueryLanguage {
    const name =
      state.QueryLanguage === "JSONata" || state.QueryLanguage === "JSONPath"
        ? state.QueryLanguage
        : this.topLanguage;
    return this.languages[name];
  }
}

export function childPath(path: string, step: FrameStep): string {
  return JSON.stringify([...(JSON.parse(path) as FrameStep[]), step]);
}

function childContainer(state: AslState, index: number): StatesContainer {
  if (index >= 0) {
    const branches = state.Branches as StatesContainer[] | undefined;
    const branch = branches?.[index];
    if (!branch) throw new StatesError("States.Runtime", `no branch ${index} in a Parallel state`);
    return branch;
  }
  const processor = (state.ItemProcessor ?? state.Iterator) as StatesContainer | undefined;
  if (!processor) throw new StatesError("States.Runtime", "a Map state without ItemProcessor or Iterator");
  return processor;
}

/** Distributed mode (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html). */
export function isDistributed(state: AslState): boolean {
  const config = (state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined)
    ?.ProcessorConfig;
  return config?.Mode === "DISTRIBUTED";
}
