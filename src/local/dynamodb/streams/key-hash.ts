import type { Item } from "../expressions/index.ts";
import { partitionHash } from "../key-encoding.ts";

/**
 * 32-bit FNV-1a (the engine's partitionHash) of a key's canonical UTF-8 text (attribute names
 * sorted). Cheap enough to run inside every write's transaction; only its spread matters, not its strength.
 */
export function keyHash(keys: Item, only?: string): number {
  const names = only !== undefined && only in keys ? [only] : Object.keys(keys).sort();
  let text = "";
  for (const name of names) text += `${name}\u0000${JSON.stringify(keys[name])}\u0000`;
  return partitionHash(Buffer.from(text, "utf8"));
}
