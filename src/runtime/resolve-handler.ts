import { handlerNotFound } from "./errors.ts";

export type UserHandler = (event: unknown, context: object, callback: Callback) => unknown;
export type Callback = (error?: unknown, result?: unknown) => void;

/**
 * Finds the handler as Lambda's Node.js runtime does: the named (possibly dotted) export, else the
 * same name on `default`, which is where a CommonJS module bundled to ESM keeps `module.exports`.
 * `handlerName` is the handler setting (`src/ingest.handler`), used in the error message.
 */
export function resolveHandler(userModule: unknown, exportName: string, handlerName: string): UserHandler {
  let found = findIn(exportName, userModule);
  if (found === undefined && isObject(userModule) && "default" in userModule) {
    found = findIn(exportName, userModule.default);
  }
  if (found === undefined || found === null)
    throw handlerNotFound(`${handlerName} is undefined or not exported`);
  if (typeof found !== "function") throw handlerNotFound(`${handlerName} is not a function`);
  return found as UserHandler;
}

function findIn(path: string, root: unknown): unknown {
  let current = root;
  for (const key of path.split(".")) {
    if (!isObject(current) && typeof current !== "function") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
