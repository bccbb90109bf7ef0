/** Reads a handler reference, `path/to/module.export`, relative to the app root. */
import type { HandlerRef } from "../app-spec.ts";
import type { Issues } from "./values.ts";

const ALLOWED = `"path/to/module.export" relative to the app root, without a file extension, e.g. "src/ingest.handler"`;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const SEGMENT = /^[A-Za-z0-9_@][A-Za-z0-9_@.-]*$/;
const EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;

export function readHandler(issues: Issues, path: string, value: unknown): HandlerRef | undefined {
  const fail = (message: string, fix: string): undefined => {
    issues.add(path, value, message, ALLOWED, fix);
    return undefined;
  };
  if (value === undefined)
    return fail("every function needs a handler", `add handler: "src/my-function.handler"`);
  if (typeof value !== "string")
    return fail("handler must be a string", `write handler: "src/my-function.handler"`);
  const text = value.startsWith("./") ? value.slice(2) : value;
  const dot = text.lastIndexOf(".");
  if (dot <= 0) {
    return fail(
      "handler does not name an export: it needs the module, a dot, then the exported function",
      `write "${text || "src/my-function"}.handler" if the module exports a function named handler`,
    );
  }
  const module = text.slice(0, dot);
  const exported = text.slice(dot + 1);
  if (!IDENTIFIER.test(exported)) {
    return fail(
      `"${exported}" is not a JavaScript export name`,
      `end the handler with the export, e.g. "${module}.handler"`,
    );
  }
  if (EXTENSION.test(module)) {
    const bare = module.replace(EXTENSION, "");
    return fail("handler includes the module's file extension", `drop the extension: "${bare}.${exported}"`);
  }
  if (module.startsWith("/") || !module.split("/").every((segment) => SEGMENT.test(segment))) {
    return fail(
      "handler's module must be a relative path inside the app (no leading /, no .. or empty segments)",
      `write the path from the app root, e.g. "src/${module.split("/").pop() ?? "handler"}.${exported}"`,
    );
  }
  return { module, export: exported };
}
