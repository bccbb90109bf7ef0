/**
 * Runs one list of calls against the oracle and against Sluice, each in order on its own state,
 * and sets their normalised answers side by side.
 */
import { type OracleCall, type Outcome, runCall } from "./calls.ts";
import { KNOWN_DIFFERENCES, type KnownDifference } from "./known-differences.ts";
import { normalize } from "./normalize.ts";
import type { OracleTarget } from "./targets.ts";

export interface Difference {
  readonly index: number;
  readonly call: OracleCall;
  readonly oracle: unknown;
  readonly sluice: unknown;
}

export async function runAll(target: OracleTarget, calls: readonly OracleCall[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const call of calls) outcomes.push(await runCall(target.client, call));
  return outcomes;
}

export interface Comparison {
  /** Differences no known difference explains. */
  readonly unexplained: Difference[];
  /** How many calls each known difference explained. */
  readonly explained: ReadonlyMap<KnownDifference, number>;
}

/**
 * Sets the answers side by side. `witness` answers a call on a third implementation (dynalite),
 * asked only for a difference that a known difference needing it could explain.
 */
export async function compare(
  calls: readonly OracleCall[],
  oracle: readonly Outcome[],
  sluice: readonly Outcome[],
  witness: (call: OracleCall) => Promise<Outcome>,
): Promise<Comparison> {
  const unexplained: Difference[] = [];
  const explained = new Map<KnownDifference, number>(KNOWN_DIFFERENCES.map((known) => [known, 0]));
  for (const [index, call] of calls.entries()) {
    const a = normalize(call, oracle[index] as Outcome);
    const b = normalize(call, sluice[index] as Outcome);
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    let known = KNOWN_DIFFERENCES.find((k) => !k.needsWitness && k.matches(call, a, b));
    if (!known && KNOWN_DIFFERENCES.some((k) => k.needsWitness)) {
      const w = normalize(call, await witness(call));
      known = KNOWN_DIFFERENCES.find((k) => k.needsWitness && k.matches(call, a, b, w));
    }
    if (known) explained.set(known, (explained.get(known) ?? 0) + 1);
    else unexplained.push({ index, call, oracle: a, sluice: b });
  }
  return { unexplained, explained };
}

/** A difference as the failure message shows it: the call, then both answers. */
export function describeDifference(d: Difference): string {
  const clip = (value: unknown) => {
    const text = JSON.stringify(value);
    return text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
  };
  return `#${d.index} ${d.call.action} — ${d.call.note}\n  input:          ${clip(d.call.input)}\n  DynamoDB Local: ${clip(d.oracle)}\n  Sluice:         ${clip(d.sluice)}`;
}
