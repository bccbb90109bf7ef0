/** Reads environment variables, which Lambda constrains by name, reserved names and total size. */
import { LIMITS } from "../limits.ts";
import { type Issues, join, readObject } from "./values.ts";

const KEY = LIMITS.lambda.environmentKey;
const RESERVED: readonly string[] = LIMITS.lambda.reservedEnvironmentKeys.values;
const SIZE = LIMITS.lambda.environmentSize;

/** The valid variables of `value`; invalid ones are reported and left out. */
export function readEnvironment(issues: Issues, path: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const fields = readObject(issues, path, value, `environment: { LOG_LEVEL: "debug" }`);
  if (fields === undefined) return {};
  const environment: Record<string, string> = {};
  for (const [key, raw] of Object.entries(fields)) {
    const at = join(path, key);
    if (!KEY.pattern.test(key)) {
      issues.add(
        at,
        key,
        `"${key}" is not a valid environment variable name for Lambda`,
        `${KEY.charset} (${KEY.pattern.source})`,
        `rename it, e.g. "${suggestKey(key)}"`,
      );
    } else if (RESERVED.includes(key)) {
      issues.add(
        at,
        key,
        `"${key}" is reserved: Lambda sets it itself and rejects functions that set it`,
        "any name Lambda does not reserve",
        `use another name, e.g. "APP_${key.replace(/^_+/, "")}"`,
      );
    } else if (typeof raw !== "string") {
      issues.add(
        at,
        raw,
        "environment variable values must be strings",
        "a string",
        `write it as a string, e.g. ${key}: "${String(raw)}"`,
      );
    } else {
      environment[key] = raw;
    }
  }
  return environment;
}

/** Lambda limits all of a function's variables together, after defaults are merged in. */
export function checkEnvironmentSize(
  issues: Issues,
  path: string,
  environment: Record<string, string>,
): void {
  const encoder = new TextEncoder();
  let bytes = 0;
  for (const [key, value] of Object.entries(environment)) {
    bytes += encoder.encode(key).length + encoder.encode(value).length;
  }
  if (bytes <= SIZE.max) return;
  issues.add(
    path,
    `${bytes} bytes`,
    `the environment variables total ${bytes} bytes, above Lambda's limit of ${SIZE.max} bytes`,
    `at most ${SIZE.max} ${SIZE.unit}`,
    "move large values to a parameter store or file, and keep only references in the environment",
  );
}

function suggestKey(key: string): string {
  const cleaned = key.replace(/[^a-zA-Z0-9_]/g, "_").replace(/^[^a-zA-Z]+/, "");
  return cleaned.length >= 2 ? cleaned : "MY_VARIABLE";
}
