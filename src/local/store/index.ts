/**
 * The one SQLite file per application: opening it, migrations, reclaiming free pages.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { reclaimSpaceSoon } from "./free-pages.ts";
export { IntentSlot } from "./intent-slot.ts";
export type { Db, StoreOptions } from "./store.ts";
export { migrate, openStore } from "./store.ts";
