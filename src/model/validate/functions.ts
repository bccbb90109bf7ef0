/** Reads `defaults` and `functions`: each function's own settings, with defaults applied. */
import type { Runtime } from "../app-spec.ts";
import { LIMITS, RUNTIMES } from "../limits.ts";
import { readAsync } from "./async.ts";
import type { ConsumesDraft, FunctionDraft, TableConsumesDraft } from "./draft.ts";
import { checkEnvironmentSize, readEnvironment } from "./environment.ts";
import { readFilters } from "./filters.ts";
import { readHandler } from "./handler.ts";
import { readPermissions } from "./permissions.ts";
import { readRoutes } from "./routes.ts";
import { readTableConsumes } from "./table-consumers.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  join,
  quoteList,
  readBoolean,
  readDuration,
  readInteger,
  readObject,
  readOptional,
  readString,
} from "./values.ts";

const DEFAULT_KEYS = ["runtime", "memorySize", "timeout", "environment"] as const;
const FUNCTION_KEYS = [
  ...DEFAULT_KEYS,
  "handler",
  "reservedConcurrency",
  "description",
  "consumes",
  "routes",
  "routesTo",
  "permissions",
  // Read by validate-http-api.ts.
  "http",
  "health",
  "async",
  // Read by validate-provisioned.ts.
  "provisionedConcurrency",
] as const;
const CONSUMES_KEYS = [
  "queue",
  "batchSize",
  "maximumBatchingWindow",
  "maxConcurrency",
  "reportBatchItemFailures",
  "filters",
] as const;

const LAMBDA = LIMITS.lambda;
const ESM = LIMITS.eventSourceMapping;

export interface FunctionDefaultsDraft {
  readonly runtime: Runtime | undefined;
  readonly memorySize: number | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly environment: Readonly<Record<string, string>>;
}

export function readDefaults(issues: Issues, value: unknown): FunctionDefaultsDraft {
  const fields =
    value === undefined ? {} : (readObject(issues, "defaults", value, `defaults: { memorySize: 256 }`) ?? {});
  checkKeys(issues, "defaults", fields, DEFAULT_KEYS);
  return readSettings(issues, "defaults", fields, {
    runtime: LAMBDA.runtime.default,
    memorySize: LAMBDA.memorySize.default,
    timeoutSeconds: LAMBDA.timeout.default,
    environment: {},
  });
}

export function readFunctions(
  issues: Issues,
  value: unknown,
  defaults: FunctionDefaultsDraft,
  reservedLimit: number,
): Map<string, FunctionDraft> {
  const functions = new Map<string, FunctionDraft>();
  if (value === undefined) {
    issues.add(
      "functions",
      undefined,
      "an application needs at least one function",
      "an object of functions",
      `add functions, e.g. functions: { hello: { handler: "src/hello.handler" } }`,
    );
    return functions;
  }
  const fields = readObject(
    issues,
    "functions",
    value,
    `functions: { hello: { handler: "src/hello.handler" } }`,
  );
  if (fields === undefined) return functions;
  for (const [name, raw] of Object.entries(fields)) {
    const path = join("functions", name);
    const fn = readObject(issues, path, raw, `{ handler: "src/${name}.handler" }`);
    if (fn !== undefined) functions.set(name, readFunction(issues, name, path, fn, defaults, reservedLimit));
  }
  return functions;
}

function readFunction(
  issues: Issues,
  name: string,
  path: string,
  fn: Fields,
  defaults: FunctionDefaultsDraft,
  reservedLimit: number,
): FunctionDraft {
  checkKeys(issues, path, fn, FUNCTION_KEYS);
  const at = (key: string): string => join(path, key);
  const settings = readSettings(issues, path, fn, defaults);
  checkEnvironmentSize(issues, at("environment"), settings.environment);
  const reservedRange = { ...LAMBDA.reservedConcurrency, max: reservedLimit };
  return {
    name,
    path,
    ...settings,
    handler: readHandler(issues, at("handler"), fn.handler),
    reservedConcurrency:
      fn.reservedConcurrency === undefined
        ? undefined
        : readInteger(issues, at("reservedConcurrency"), fn.reservedConcurrency, reservedRange),
    description:
      fn.description === undefined ? undefined : readDescription(issues, at("description"), fn.description),
    ...readConsumption(issues, at("consumes"), fn.consumes),
    routes: readRoutes(issues, path, fn.routes, fn.routesTo),
    permissions:
      fn.permissions === undefined ? undefined : readPermissions(issues, at("permissions"), fn.permissions),
    async: fn.async === undefined ? undefined : readAsync(issues, at("async"), fn.async),
  };
}

/** The settings `defaults` and a function share; a function's own value wins. */
function readSettings(issues: Issues, path: string, fields: Fields, inherited: FunctionDefaultsDraft) {
  const at = (key: string): string => join(path, key);
  const own = readEnvironment(issues, at("environment"), fields.environment);
  const environment = { ...inherited.environment, ...own };
  return {
    runtime: readOptional(fields.runtime, inherited.runtime, (v) => readRuntime(issues, at("runtime"), v)),
    memorySize: readOptional(fields.memorySize, inherited.memorySize, (v) =>
      readInteger(issues, at("memorySize"), v, LAMBDA.memorySize),
    ),
    timeoutSeconds: readOptional(fields.timeout, inherited.timeoutSeconds, (v) =>
      readDuration(issues, at("timeout"), v, LAMBDA.timeout),
    ),
    environment,
  };
}

function readRuntime(issues: Issues, path: string, value: unknown): Runtime | undefined {
  const runtimes: readonly string[] = LAMBDA.runtime.values;
  if (typeof value === "string" && runtimes.includes(value)) return value as Runtime;
  if (value === "nodejs20.x") {
    const row = RUNTIMES["nodejs20.x"];
    issues.add(
      path,
      value,
      `nodejs20.x is deprecated (Node.js 20 reached end of life on ${row.deprecation}) and Lambda blocks creating nodejs20.x functions since ${row.blockCreate} and updating them since ${row.blockUpdate} (${row.docs})`,
      `one of ${quoteList(runtimes)}`,
      `set runtime: "${LAMBDA.runtime.default}" (or "nodejs22.x"); on nodejs24.x a handler must be async or return a promise: no callback, no context.succeed/fail/done`,
    );
    return undefined;
  }
  issues.add(
    path,
    value,
    "runtime is not a Node.js runtime Sluice supports",
    `one of ${quoteList(runtimes)}`,
    `set runtime: "${LAMBDA.runtime.default}"`,
  );
  return undefined;
}

function readDescription(issues: Issues, path: string, value: unknown): string | undefined {
  const text = readString(issues, path, value, `description: "Renders pages"`);
  if (text === undefined || text.length <= LAMBDA.description.max) return text;
  issues.add(
    path,
    value,
    `description is ${text.length} characters, above Lambda's maximum of ${LAMBDA.description.max}`,
    `at most ${LAMBDA.description.max} characters`,
    "shorten the description",
  );
  return undefined;
}

/** `consumes`: a queue's event source mapping, or (with `table`) a table stream's. */
function readConsumption(
  issues: Issues,
  path: string,
  value: unknown,
): { consumes: ConsumesDraft | undefined; consumesTable?: TableConsumesDraft } {
  if (value === undefined) return { consumes: undefined };
  const fields = readObject(issues, path, value, `consumes: { queue: "jobs" }`);
  if (fields === undefined) return { consumes: undefined };
  if (fields.table === undefined) return { consumes: readConsumes(issues, path, fields) };
  if (fields.queue !== undefined) {
    issues.add(
      path,
      { queue: fields.queue, table: fields.table },
      "a function consumes a queue or a table's stream, not both",
      "consumes: { queue } or consumes: { table }",
      "give one of them its own function, and route between the two if they must share work",
    );
    return { consumes: undefined };
  }
  return { consumes: undefined, consumesTable: readTableConsumes(issues, path, fields) };
}

function readConsumes(issues: Issues, path: string, fields: Fields): ConsumesDraft | undefined {
  checkKeys(issues, path, fields, CONSUMES_KEYS);
  const at = (key: string): string => join(path, key);
  let queue: string | undefined;
  if (fields.queue === undefined) {
    const fix = `add the queue's name, e.g. consumes: { queue: "jobs" }`;
    issues.add(
      at("queue"),
      undefined,
      "consumes needs the name of a queue (or of a table)",
      "a queue name",
      fix,
    );
  } else {
    queue = readString(issues, at("queue"), fields.queue, `queue: "jobs"`);
  }
  return {
    path,
    queue,
    // FIFO queues cap batchSize at 10; that is checked once the queue is known.
    batchSize: readOptional(fields.batchSize, ESM.batchSize.default, (v) =>
      readInteger(issues, at("batchSize"), v, ESM.batchSize),
    ),
    maximumBatchingWindowSeconds: readOptional(
      fields.maximumBatchingWindow,
      ESM.maximumBatchingWindow.default,
      (v) => readDuration(issues, at("maximumBatchingWindow"), v, ESM.maximumBatchingWindow),
    ),
    windowGiven: fields.maximumBatchingWindow,
    maxConcurrency:
      fields.maxConcurrency === undefined
        ? undefined
        : readInteger(issues, at("maxConcurrency"), fields.maxConcurrency, ESM.maxConcurrency),
    reportBatchItemFailures: readOptional(fields.reportBatchItemFailures, false, (v) =>
      readBoolean(issues, at("reportBatchItemFailures"), v),
    ),
    filters: fields.filters === undefined ? undefined : readFilters(issues, at("filters"), fields.filters),
  };
}
