import { ipToHex } from "./ip-address.ts";
import { numericKey } from "./numeric-key.ts";
import { ipKey, literalKey, numberKey, stringKey } from "./value-key.ts";

/**
 * One leaf value of an event, at a dotted path (`detail.state`). Arrays are "crushed out": each
 * element is a value at the array's own path, and `arrays` records which element of which array
 * the value sits in (pairs of array id and index), so that a match never combines fields from
 * different elements of the same array — as AWS's rule engine matches JSON events.
 */
export class EventField {
  readonly value: string | number | boolean | null;
  readonly arrays: readonly number[];
  // Computed on first use: most fields of an event are never compared.
  private keyCache: string | undefined = undefined;
  private lowerCache: string | undefined = undefined;
  private ipCache: string | null | undefined = undefined;

  constructor(value: string | number | boolean | null, arrays: readonly number[]) {
    this.value = value;
    this.arrays = arrays;
  }

  /** The value's exact-match key (value-key.ts). */
  get key(): string {
    if (this.keyCache === undefined) {
      const value = this.value;
      if (typeof value === "string") this.keyCache = stringKey(value);
      else if (typeof value === "number") this.keyCache = numberKey(value);
      else this.keyCache = literalKey(value);
    }
    return this.keyCache;
  }

  get lower(): string {
    this.lowerCache ??= typeof this.value === "string" ? this.value.toLowerCase() : "";
    return this.lowerCache;
  }

  /** Hex of the address when the value is an IP-literal string. */
  get ipHex(): string | undefined {
    if (this.ipCache === undefined) {
      this.ipCache = typeof this.value === "string" ? (ipToHex(this.value) ?? null) : null;
    }
    return this.ipCache ?? undefined;
  }

  get ipKey(): string | undefined {
    const hex = this.ipHex;
    return hex === undefined ? undefined : ipKey(hex);
  }

  /** Comparable numeric key when the value is a number within EventBridge's numeric range. */
  get numeric(): number | undefined {
    return typeof this.value === "number" ? numericKey(this.value) : undefined;
  }
}

export type FlatEvent = ReadonlyMap<string, readonly EventField[]>;

/**
 * Flattens an event (an object or its JSON text); undefined when it is not a JSON object, which
 * no pattern matches. `wanted`, when given, names the paths and path prefixes worth visiting; the
 * rest of the event is skipped.
 */
export function flattenEvent(event: unknown, wanted?: ReadonlySet<string>): FlatEvent | undefined {
  const out = new Map<string, EventField[]>();
  let root = event;
  if (typeof event === "string") {
    try {
      root = JSON.parse(event);
    } catch {
      return undefined;
    }
  }
  if (!isPlainObject(root)) return undefined;
  walk(root, "", NO_ARRAYS, { out, wanted, arrayIds: 0 });
  return out;
}

const NO_ARRAYS: readonly number[] = [];

interface Walk {
  readonly out: Map<string, EventField[]>;
  readonly wanted: ReadonlySet<string> | undefined;
  arrayIds: number;
}

// A plain recursive function rather than a closure: this runs for every event on every bus.
function walk(value: unknown, path: string, arrays: readonly number[], state: Walk): void {
  if (Array.isArray(value)) {
    const id = state.arrayIds++;
    for (let i = 0; i < value.length; i++) walk(value[i], path, [...arrays, id, i], state);
  } else if (isPlainObject(value)) {
    for (const key in value) {
      const child = path === "" ? key : `${path}.${key}`;
      if (state.wanted !== undefined && !state.wanted.has(child)) continue;
      walk(value[key], child, arrays, state);
    }
  } else if (
    typeof value === "string" ||
    typeof value === "boolean" ||
    value === null ||
    (typeof value === "number" && Number.isFinite(value))
  ) {
    const field = new EventField(value, arrays);
    const list = state.out.get(path);
    if (list) list.push(field);
    else state.out.set(path, [field]);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `field` sits in the same element as every array element already chosen. */
export function consistent(chosen: ReadonlyMap<number, number> | undefined, field: EventField): boolean {
  if (chosen === undefined || field.arrays.length === 0) return true;
  const a = field.arrays;
  for (let i = 0; i < a.length; i += 2) {
    const index = chosen.get(a[i] as number);
    if (index !== undefined && index !== a[i + 1]) return false;
  }
  return true;
}

/** The array elements chosen once `field` is used too. */
export function choose(
  chosen: ReadonlyMap<number, number> | undefined,
  field: EventField,
): ReadonlyMap<number, number> | undefined {
  if (field.arrays.length === 0) return chosen;
  const next = new Map(chosen);
  const a = field.arrays;
  for (let i = 0; i < a.length; i += 2) next.set(a[i] as number, a[i + 1] as number);
  return next;
}
