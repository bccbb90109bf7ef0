/**
 * What `sluice serve --artifact DIR` serves: an unzipped server artifact (bundle/server-artifact.ts)
 * or a `sluice build` folder. `app.json` gives the spec, `manifest.json` the functions whose
 * bundles are there, each at `bundles/<function>/index.mjs` exporting `handler`, as Lambda runs it.
 * Everything here comes from files, possibly downloaded: names are checked against Lambda's
 * function-name characters before they touch a path, and every bundle, links resolved, must lie
 * inside the folder.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { APP_FILE, APP_FILE_FORMAT } from "../bundle/app-file.ts";
import { BUNDLES_FOLDER, SERVER_MANIFEST_FILE } from "../bundle/server-artifact.ts";
import { handlerFile } from "../local/cloudformation/index.ts";
import type { AppSpec } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { LIMITS } from "../model/limits.ts";
import { deepFreeze } from "../model/normalise.ts";
import type { ServedApp } from "./serve-contract.ts";

export { unzipServerArtifact } from "../bundle/server-artifact.ts";

/** The handler setting of every bundle (bundle-functions.ts writes it, aws/resources/function.ts deploys it). */
const BUNDLE_HANDLER = "index.handler";

export function readServedApp(dirArg: string): ServedApp {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw refused(`${dir} is not a folder: give an unzipped server artifact or a \`sluice build\` folder`);
  }
  const root = realpathSync(dir);
  const spec = readSpec(dir);
  const manifest = readManifest(dir);
  const bundles = new Map<string, { file: string; exportName: string }>();
  for (const name of manifest.functions) {
    if (!LIMITS.lambda.functionName.pattern.test(name)) {
      throw refused(
        `${SERVER_MANIFEST_FILE} in ${dir} lists ${JSON.stringify(name)}, which is not a function name`,
      );
    }
    if (!Object.hasOwn(spec.functions, name)) {
      throw refused(`${SERVER_MANIFEST_FILE} in ${dir} lists ${name}, but the app has no function ${name}`);
    }
    bundles.set(name, bundleOf(dir, root, name));
  }
  // The name comes from a file: only the spec's own fleets, never an inherited property.
  const fleet =
    manifest.fleet !== undefined && spec.servers !== undefined && Object.hasOwn(spec.servers, manifest.fleet)
      ? spec.servers[manifest.fleet]
      : undefined;
  if (manifest.fleet !== undefined && fleet === undefined) {
    throw refused(
      `${SERVER_MANIFEST_FILE} in ${dir} is for fleet ${JSON.stringify(manifest.fleet)}, which the app does not define`,
    );
  }
  for (const name of fleet?.functions ?? []) {
    if (!bundles.has(name))
      throw refused(`fleet ${fleet?.name} serves ${name}, but ${dir} has no bundle of it`);
  }
  return {
    spec,
    code(functionName) {
      const code = bundles.get(functionName);
      if (code === undefined) {
        throw refused(
          `function ${functionName} is not served from ${dir}: it has no bundle there ` +
            `(bundles: ${[...bundles.keys()].join(", ") || "none"})`,
        );
      }
      return code;
    },
  };
}

function readSpec(dir: string): AppSpec {
  const file = readJson(dir, APP_FILE, "serve an unzipped server artifact, or run `sluice build` first");
  if (typeof file !== "object" || file === null || !("format" in file)) {
    throw refused(`${join(dir, APP_FILE)} has no "format": it is not a Sluice app.json`);
  }
  if (file.format !== APP_FILE_FORMAT) {
    throw refused(
      `${join(dir, APP_FILE)} is format ${JSON.stringify(file.format)}; this Sluice reads format ` +
        `${APP_FILE_FORMAT}: serve it with the Sluice version that built it (an artifact carries it in vendor/sluice)`,
    );
  }
  const spec = (file as { spec?: unknown }).spec;
  if (!isSpec(spec)) {
    throw refused(
      `${join(dir, APP_FILE)} holds no app spec (an object with name, region, accountId, functions and queues)`,
    );
  }
  return deepFreeze(spec);
}

function isSpec(value: unknown): value is AppSpec {
  if (typeof value !== "object" || value === null) return false;
  const spec = value as Record<string, unknown>;
  const isRecord = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  return (
    typeof spec.name === "string" &&
    typeof spec.region === "string" &&
    typeof spec.accountId === "string" &&
    isRecord(spec.functions) &&
    isRecord(spec.queues)
  );
}

function readManifest(dir: string): { functions: string[]; fleet?: string } {
  const manifest = readJson(
    dir,
    SERVER_MANIFEST_FILE,
    "unzip the whole artifact, or run `sluice build` again",
  );
  const functions = (manifest as { functions?: unknown } | null)?.functions;
  if (typeof functions !== "object" || functions === null || Array.isArray(functions)) {
    throw refused(`${join(dir, SERVER_MANIFEST_FILE)} lists no functions`);
  }
  const fleet = (manifest as { fleet?: unknown }).fleet;
  return { functions: Object.keys(functions), ...(typeof fleet === "string" ? { fleet } : {}) };
}

function readJson(dir: string, name: string, fix: string): unknown {
  const file = join(dir, name);
  if (!existsSync(file)) throw refused(`${dir} has no ${name}: ${fix}`);
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw refused(`${file} is not JSON: ${(error as Error).message}`, error);
  }
}

function bundleOf(dir: string, root: string, name: string): { file: string; exportName: string } {
  const code = handlerFile(join(dir, BUNDLES_FOLDER, name), BUNDLE_HANDLER);
  if (!existsSync(code.file) || !statSync(code.file).isFile()) {
    throw refused(`function ${name} has no bundle: ${code.file} is missing`);
  }
  const real = relative(root, realpathSync(code.file));
  if (real.startsWith(`..${sep}`) || real === "..") {
    throw refused(`the bundle of ${name}, ${code.file}, links outside ${dir}`);
  }
  return code;
}

function refused(message: string, cause?: unknown): SluiceError {
  return new SluiceError("SLUICE_SERVED_APP", message, cause === undefined ? {} : { cause });
}
