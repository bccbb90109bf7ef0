/**
 * An answer's JSON text, with the stored items it carries as text (stored-item-text.ts) written
 * as they are: JSON.stringify for everything else, so the text is what JSON.stringify would give
 * of the same answer with parsed items.
 */
import { StoredItemText } from "../stored-item-text.ts";

export function answerJson(answer: unknown): string {
  if (answer === null || typeof answer !== "object" || Array.isArray(answer))
    return JSON.stringify(answer ?? {});
  let text = "";
  for (const [key, value] of Object.entries(answer)) {
    const written =
      value instanceof StoredItemText
        ? value.text
        : Array.isArray(value)
          ? list(value)
          : JSON.stringify(value);
    // JSON.stringify leaves out a member whose value it cannot write (undefined).
    if (written === undefined) continue;
    text += `${text === "" ? "" : ","}${JSON.stringify(key)}:${written}`;
  }
  return `{${text}}`;
}

function list(values: readonly unknown[]): string {
  if (!values.some((value) => value instanceof StoredItemText)) return JSON.stringify(values);
  const parts = values.map((value) =>
    value instanceof StoredItemText ? value.text : (JSON.stringify(value) ?? "null"),
  );
  return `[${parts.join(",")}]`;
}
