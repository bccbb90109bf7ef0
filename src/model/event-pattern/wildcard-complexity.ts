import type { WildcardPattern } from "./types.ts";

/**
 * AWS refuses rules whose wildcards could keep too many partial matches alive at once ("Rule is
 * too complex - try using fewer wildcard characters or fewer repeating character sequences after
 * a wildcard character"). Its rule engine measures, over every possible input, how many wildcard
 * patterns the states it is in at the same time can still reach. This evaluates the same measure
 * on an automaton built the way that engine builds one: patterns share states while their text is
 * identical up to and including the first `*`, and each has its own states after that. AWS does
 * not publish its threshold; rules above WILDCARD_COMPLEXITY_LIMIT are refused here.
 */
export const WILDCARD_COMPLEXITY_LIMIT = 10;

const QUOTE = 0x22;
const OTHER = -1;
const MAX_SUBSETS = 5000;

interface State {
  readonly literal: Map<number, number[]>;
  /** Epsilon moves into a `*` state, which loops on every byte. */
  readonly star: number[];
  loops: boolean;
  readonly reaches: Set<number>;
}

export function wildcardComplexity(patterns: readonly WildcardPattern[]): number {
  const states: State[] = [newState()];
  const alphabet = new Set<number>();
  for (const [id, pattern] of patterns.entries()) addPattern(states, alphabet, pattern, id);
  states[0]?.reaches.clear();
  const symbols = [...alphabet, OTHER];
  const seen = new Set<string>();
  let pending: number[][] = [closure(states, [0])];
  let worst = 0;
  while (pending.length > 0 && seen.size < MAX_SUBSETS) {
    const next: number[][] = [];
    for (const subset of pending) {
      for (const symbol of symbols) {
        const moved = closure(states, step(states, subset, symbol));
        if (moved.length === 0) continue;
        const key = moved.join(",");
        if (seen.has(key)) continue;
        seen.add(key);
        let weight = 0;
        for (const s of moved) weight += states[s]?.reaches.size ?? 0;
        worst = Math.max(worst, weight);
        next.push(moved);
      }
    }
    pending = next;
  }
  return worst;
}

function newState(): State {
  return { literal: new Map(), star: [], loops: false, reaches: new Set() };
}

function addPattern(states: State[], alphabet: Set<number>, pattern: WildcardPattern, id: number): void {
  const tokens: number[] = [QUOTE];
  pattern.parts.forEach((part, i) => {
    if (i > 0) tokens.push(OTHER);
    for (const byte of Buffer.from(part, "utf8")) tokens.push(byte);
  });
  tokens.push(QUOTE);
  let current = 0;
  let shared = true;
  for (const token of tokens) {
    const state = states[current] as State;
    state.reaches.add(id);
    let target: number | undefined;
    if (token === OTHER) {
      target = shared ? state.star[0] : undefined;
      if (target === undefined) {
        target = states.push(newState()) - 1;
        state.star.push(target);
        (states[target] as State).loops = true;
      }
      shared = false;
    } else {
      alphabet.add(token);
      target = shared ? state.literal.get(token)?.[0] : undefined;
      if (target === undefined) {
        target = states.push(newState()) - 1;
        state.literal.set(token, [...(state.literal.get(token) ?? []), target]);
      }
    }
    current = target;
  }
  (states[current] as State).reaches.add(id);
}

function step(states: readonly State[], subset: readonly number[], symbol: number): number[] {
  const out = new Set<number>();
  for (const s of subset) {
    const state = states[s] as State;
    if (state.loops) out.add(s);
    if (symbol !== OTHER) for (const t of state.literal.get(symbol) ?? []) out.add(t);
  }
  return [...out];
}

function closure(states: readonly State[], start: readonly number[]): number[] {
  const out = new Set(start);
  const stack = [...start];
  while (stack.length > 0) {
    const s = stack.pop() as number;
    for (const t of states[s]?.star ?? []) {
      if (!out.has(t)) {
        out.add(t);
        stack.push(t);
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}
