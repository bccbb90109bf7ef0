/**
 * Pieces of condition and update expressions over the generated items' attributes, each with
 * exactly the names and values it uses (DynamoDB refuses unused placeholders), so that pieces
 * combine into valid expressions; some are meant to fail on some items (a missing map, a number
 * added to a string) and so exercise the errors a valid expression meets at run time.
 */
import type { Random } from "../event-pattern-random.ts";

export type Values = Record<string, Record<string, unknown>>;
export interface Part {
  readonly text: string;
  readonly names?: Readonly<Record<string, string>>;
  readonly values?: Readonly<Values>;
}

export const WORDS = ["apple", "banana", "berry", "cherry", "Apple", "b", ""];

export function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

const word = (random: Random) => ({
  S: pick(
    random,
    WORDS.filter((w) => w !== ""),
  ),
});

export function conditionPart(random: Random): Part {
  const parts: (() => Part)[] = [
    () => ({ text: "attribute_exists(pk)" }),
    () => ({ text: "attribute_not_exists(pk)" }),
    () => ({ text: "attribute_exists(#m.x)", names: { "#m": "m" } }),
    () => ({ text: "#n > :zero", names: { "#n": "n" }, values: { ":zero": { N: "0" } } }),
    () => ({ text: "n <= :big", values: { ":big": { N: "1e2" } } }),
    () => ({ text: "s = :w", values: { ":w": word(random) } }),
    () => ({ text: "s <> :w", values: { ":w": word(random) } }),
    () => ({ text: "begins_with(s, :p)", values: { ":p": { S: pick(random, ["b", "A", "ch"]) } } }),
    () => ({ text: "contains(ss, :w)", values: { ":w": word(random) } }),
    () => ({ text: "contains(s, :p)", values: { ":p": { S: "rr" } } }),
    () => ({ text: "size(lst) >= :two", values: { ":two": { N: "2" } } }),
    () => ({ text: "size(s) < :n", values: { ":n": { N: "6" } } }),
    () => ({ text: "attribute_type(m, :t)", values: { ":t": { S: pick(random, ["M", "L", "S", "NULL"]) } } }),
    () => ({ text: "n BETWEEN :lo AND :hi", values: { ":lo": { N: "-1" }, ":hi": { N: "3.5" } } }),
    () => ({ text: "s IN (:a, :b)", values: { ":a": word(random), ":b": word(random) } }),
    () => ({ text: "NOT attribute_exists(flag)" }),
    () => ({ text: "flag = :t", values: { ":t": { BOOL: true } } }),
    () => ({ text: "m.x = :v", values: { ":v": { N: "1" } } }),
    () => ({ text: "lst[0] = :v", values: { ":v": { S: "apple" } } }),
    () => ({ text: "n = :s", values: { ":s": { S: "1" } } }),
    () => ({ text: "s > n" }),
    () => ({ text: "attribute_exists(nul) AND nul = :null", values: { ":null": { NULL: true } } }),
  ];
  const first = pick(random, parts)();
  if (random() < 0.6) return first;
  const second = pick(random, parts)();
  const joined = merge([first, second], ` ${pick(random, ["AND", "OR"])} `);
  return random() < 0.2 ? { ...joined, text: `NOT (${joined.text})` } : joined;
}

/** Parts joined by `separator`; placeholders renamed apart when two parts use one name. */
export function merge(parts: readonly Part[], separator: string): Part {
  const names: Record<string, string> = {};
  const values: Values = {};
  const texts = parts.map((part, i) => {
    let text = part.text;
    for (const [key, value] of Object.entries(part.values ?? {})) {
      const renamed = key in values ? `${key}${i}` : key;
      if (renamed !== key) text = text.replace(new RegExp(`${key}\\b`, "g"), renamed);
      values[renamed] = value;
    }
    Object.assign(names, part.names);
    return text;
  });
  return {
    text: texts.join(separator),
    ...(Object.keys(names).length ? { names } : {}),
    ...(Object.keys(values).length ? { values } : {}),
  };
}

/** One update action: its clause and its text. Paths may overlap across actions (an error DynamoDB reports). */
function updateAction(random: Random): Part & { clause: "SET" | "REMOVE" | "ADD" | "DELETE" } {
  const actions: (() => Part & { clause: "SET" | "REMOVE" | "ADD" | "DELETE" })[] = [
    () => ({ clause: "SET", text: "s = :w", values: { ":w": word(random) } }),
    () => ({ clause: "SET", text: "n = n + :one", values: { ":one": { N: "1" } } }),
    () => ({
      clause: "SET",
      text: "n = if_not_exists(n, :zero) - :half",
      values: { ":zero": { N: "0" }, ":half": { N: "0.5" } },
    }),
    () => ({
      clause: "SET",
      text: "lst = list_append(if_not_exists(lst, :empty), :more)",
      values: { ":empty": { L: [] }, ":more": { L: [{ S: "z" }] } },
    }),
    () => ({ clause: "SET", text: "m.x = :v", values: { ":v": { N: "7" } } }),
    () => ({
      clause: "SET",
      text: "#m = :map",
      names: { "#m": "m" },
      values: { ":map": { M: { x: { N: "1" }, y: { S: "y" } } } },
    }),
    () => ({ clause: "SET", text: "g = :g", values: { ":g": { S: pick(random, ["g1", "g2"]) } } }),
    () => ({ clause: "SET", text: "l = :l", values: { ":l": word(random) } }),
    () => ({ clause: "SET", text: "lst[5] = :w", values: { ":w": word(random) } }),
    () => ({ clause: "SET", text: "s = n", values: {} }),
    () => ({ clause: "REMOVE", text: "flag" }),
    () => ({ clause: "REMOVE", text: "lst[0]" }),
    () => ({ clause: "REMOVE", text: "g" }),
    () => ({ clause: "ADD", text: "ss :set", values: { ":set": { SS: [pick(random, ["apple", "kiwi"])] } } }),
    () => ({ clause: "ADD", text: "n :one", values: { ":one": { N: "1" } } }),
    () => ({ clause: "ADD", text: "ns :nums", values: { ":nums": { NS: ["1", "2.0"] } } }),
    () => ({ clause: "DELETE", text: "ss :set", values: { ":set": { SS: ["apple"] } } }),
  ];
  return pick(random, actions)();
}

/** An update expression of 1–3 actions grouped by clause, as DynamoDB wants them. */
export function updatePart(random: Random): Part {
  const chosen = Array.from({ length: 1 + Math.floor(random() * 3) }, () => updateAction(random));
  const clauses = ["SET", "REMOVE", "ADD", "DELETE"] as const;
  const groups = clauses
    .map((clause) => ({ clause, parts: chosen.filter((a) => a.clause === clause) }))
    .filter((g) => g.parts.length > 0)
    .map((g) => {
      const merged = merge(g.parts, g.clause === "SET" || g.clause === "REMOVE" ? ", " : ", ");
      return { ...merged, text: `${g.clause} ${merged.text}` };
    });
  return merge(groups, " ");
}

/** The expression fields of a call input for these parts; placeholders of all parts merged. */
export function expressionFields(parts: Record<string, Part | undefined>): Record<string, unknown> {
  const present = Object.entries(parts).filter((entry): entry is [string, Part] => entry[1] !== undefined);
  const merged = merge(
    present.map(([, part]) => part),
    "\u0000",
  );
  const texts = merged.text.split("\u0000");
  const out: Record<string, unknown> = {};
  present.forEach(([field], i) => {
    out[field] = texts[i];
  });
  if (merged.names) out.ExpressionAttributeNames = merged.names;
  if (merged.values) out.ExpressionAttributeValues = merged.values;
  return out;
}
