import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { distScriptPath } from "../../dist-script.ts";

const RELATIVE = join("dist", "local", "lambda", "worker.js");

/** The built worker script every execution environment runs (`dist/local/lambda/worker.js`). */
export function workerScriptPath(): string {
  return distScriptPath(RELATIVE);
}

/**
 * Defence in depth for deployed handlers: the module a `Handler` setting names must stay inside
 * the function's package folder. Lambda's Node.js runtime refuses any handler containing `..`
 * with Runtime.MalformedHandlerName at init (aws-lambda-nodejs-runtime-interface-client,
 * `UserFunction.load`); one that resolves elsewhere (an absolute path) finds no module here, as
 * no layer exists locally: Runtime.ImportModuleError. For either, the environment is pointed at a
 * small module, beside the packages, that throws that error when imported, so the init fails
 * exactly as Lambda's does and nothing outside the package is ever loaded.
 * Returns undefined when the handler is inside the package.
 */
export function refusedHandler(
  dir: string,
  handler: string,
): { file: string; exportName: string } | undefined {
  const dot = handler.lastIndexOf(".");
  const module = dot < 0 ? handler : handler.slice(0, dot);
  const exportName = dot < 0 ? "handler" : handler.slice(dot + 1);
  let error: { name: string; message: string } | undefined;
  if (handler.includes("..")) {
    error = {
      name: "Runtime.MalformedHandlerName",
      message: `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    };
  } else {
    const target = resolve(dir, module);
    const inside = relative(resolve(dir), target);
    if (inside === "" || inside.startsWith("..") || isAbsolute(inside) || module.includes("\0")) {
      error = { name: "Runtime.ImportModuleError", message: `Error: Cannot find module '${module}'` };
    }
  }
  if (!error) return undefined;
  const source = `const error = new Error(${JSON.stringify(error.message)});\nerror.name = ${JSON.stringify(error.name)};\nthrow error;\n`;
  const folder = join(dirname(resolve(dir)), "refused-handlers");
  const file = join(folder, `${createHash("sha256").update(source).digest("hex")}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, source);
  }
  return { file, exportName };
}
