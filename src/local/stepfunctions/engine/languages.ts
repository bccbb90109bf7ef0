/**
 * The two query languages the engine runs states in (language/jsonpath, language/jsonata), built
 * on the engine's clock and random source so `$now()`, `$random()` and States.UUID are reproducible
 * in tests.
 */
import { createJsonataLanguage } from "../language/jsonata/index.ts";
import { createJsonPathLanguage } from "../language/jsonpath/index.ts";
import type { Languages } from "./definition-index.ts";

export function defaultLanguages(env: {
  nowMs: () => number;
  random: () => number;
  uuid: () => string;
}): Languages {
  return {
    JSONPath: createJsonPathLanguage({ random: env.random, uuid: env.uuid }),
    JSONata: createJsonataLanguage(env),
  };
}
