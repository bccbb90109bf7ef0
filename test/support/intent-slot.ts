import { IntentSlot } from "../../src/local/store/index.ts";

/** Runs `fn` on the intent slot in `file`, through a descriptor of its own, closed after. */
export function onIntentSlot<T>(file: string, fn: (slot: IntentSlot) => T): T {
  const slot = new IntentSlot(file);
  try {
    return fn(slot);
  } finally {
    slot.close();
  }
}
