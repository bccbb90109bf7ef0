/**
 * Walks every state of an Amazon States Language document: the top-level `States`, each Parallel
 * state's `Branches` and each Map state's `ItemProcessor` (or the older `Iterator`), as the ASL
 * specification nests them (https://states-language.net/spec.html#parallel-state,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html). Pure: validation, the
 * reference resolver and the graph of `describe` all read documents through it.
 */
type Json = Readonly<Record<string, unknown>>;

/** One state found by walkStates. */
export interface VisitedState {
  /** State names from the top, a Parallel branch as `branch <i>`: ["Fan", "branch 0", "Run"]. */
  readonly statePath: readonly string[];
  /** Where the state sits in the document: `States.Fan.Branches[0].States.Run`. */
  readonly documentPath: string;
  readonly name: string;
  readonly state: Json;
}

/** Calls `visit` for every state, parents before their children. Malformed parts are skipped. */
export function walkStates(document: Json, visit: (visited: VisitedState) => void): void {
  walkMachine(document, [], "", visit);
}

/** The state a statePath names, or undefined when the document has none there. */
export function stateAt(document: Json, statePath: readonly string[]): Json | undefined {
  let machine: Json | undefined = document;
  let state: Json | undefined;
  for (let i = 0; i < statePath.length; i++) {
    const segment = statePath[i] as string;
    if (state !== undefined) {
      const parallel = state.Type === "Parallel";
      machine = childMachine(state, segment);
      if (machine === undefined) return undefined;
      // A branch segment names a Parallel's branch itself; the state comes with the next segment.
      // (Inside a Map, "branch 0" is an ordinary state name.)
      if (parallel) {
        state = undefined;
        continue;
      }
    }
    const states: unknown = machine?.States;
    if (!isJsonObject(states)) return undefined;
    const next: unknown = states[segment];
    if (!isJsonObject(next)) return undefined;
    state = next;
  }
  return state;
}

/** The segment naming a Parallel state's branch `index` in a statePath. */
function branchSegment(index: number): string {
  return `${BRANCH}${index}`;
}

const BRANCH = "branch ";

/** What a Map state runs for each item: its ItemProcessor, or the Iterator older definitions use. */
export function mapProcessor(state: Json): Json | undefined {
  const processor = state.ItemProcessor ?? state.Iterator;
  return isJsonObject(processor) ? processor : undefined;
}

/** `ItemProcessor` or `Iterator`, whichever the Map state has. */
function mapProcessorField(state: Json): "ItemProcessor" | "Iterator" {
  return state.ItemProcessor === undefined && state.Iterator !== undefined ? "Iterator" : "ItemProcessor";
}

export function isJsonObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function childMachine(state: Json, segment: string): Json | undefined {
  if (state.Type === "Parallel" && segment.startsWith(BRANCH)) {
    const branches = state.Branches;
    const branch = Array.isArray(branches) ? branches[Number(segment.slice(BRANCH.length))] : undefined;
    return isJsonObject(branch) ? branch : undefined;
  }
  if (state.Type === "Map") return mapProcessor(state);
  return undefined;
}

function walkMachine(
  machine: Json,
  statePath: readonly string[],
  documentPath: string,
  visit: (visited: VisitedState) => void,
): void {
  const states = machine.States;
  if (!isJsonObject(states)) return;
  const prefix = documentPath === "" ? "States" : `${documentPath}.States`;
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    const path = [...statePath, name];
    const at = `${prefix}.${name}`;
    visit({ statePath: path, documentPath: at, name, state });
    if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
      state.Branches.forEach((branch: unknown, index: number) => {
        if (isJsonObject(branch)) {
          walkMachine(branch, [...path, branchSegment(index)], `${at}.Branches[${index}]`, visit);
        }
      });
    }
    if (state.Type === "Map") {
      const processor = mapProcessor(state);
      if (processor !== undefined) walkMachine(processor, path, `${at}.${mapProcessorField(state)}`, visit);
    }
  }
}
