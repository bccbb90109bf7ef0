/**
 * Libraries a surface of the local cloud needs only once that surface is used, loaded on first
 * use instead of when the module graph loads: `sluice dev` starts every surface, and importing
 * these at start cost a hello-world app ~100 ms of its spawn-to-first-200 (docs/benchmarks.md).
 * Their callers are synchronous (a certificate made inside LocalCloud's constructor, a JSONata or
 * JSONPath expression evaluated inside a state's transition), which `import()` cannot serve, so
 * each is required, by name, once (scripts/layers/rules.mjs allows `require` in this file only
 * for this).
 */
import { createRequire } from "node:module";
import type Jsonata from "jsonata";
import type { JSONPath } from "jsonpath-plus";
import type Forge from "node-forge";

const require = createRequire(import.meta.url);

/** `load`'s value, computed on the first call and kept. */
export function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= load();
    return value;
  };
}

/** node-forge: builds and signs the local CA's certificates (local/tls/). */
export const forge = once(() => require("node-forge") as typeof Forge);

/** jsonata: Step Functions' JSONata query language (local/stepfunctions/language/jsonata/). */
export const jsonata = once(() => require("jsonata") as typeof Jsonata);

/** jsonpath-plus: Step Functions' JSONPath paths beyond reference paths (local/stepfunctions/language/jsonpath/). */
export const jsonPath = once(() => (require("jsonpath-plus") as { JSONPath: typeof JSONPath }).JSONPath);
