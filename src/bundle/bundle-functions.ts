import { dirname, join, relative, sep } from "node:path";
import { type BuildOptions, build, type Metafile } from "esbuild";
import type { AppSpec, FunctionSpec } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { possibleRouteNames, routeTargets } from "../model/routing/route-targets.ts";
import { metafileInputs, withEsbuildService } from "./esbuild-service.ts";
import { routesModules } from "./routes-module.ts";
import { sluiceAlias } from "./sluice-alias.ts";

export interface FunctionBundle {
  readonly function: string;
  /** Absolute path of the ESM bundle; its export `handler` is the wrapped handler. */
  readonly file: string;
  readonly exportName: "handler";
  /**
   * Absolute paths of the files esbuild read into this bundle (from its metafile): what `dev`
   * watches, so an edit to any of them, and only to them, rebuilds.
   */
  readonly inputs: readonly string[];
}

export interface BundleOptions {
  /** App root: handler paths and the config are relative to it. */
  readonly dir: string;
  readonly configFile: string;
  readonly outDir: string;
  readonly minify?: boolean;
  /**
   * Packages left out of the bundle (native modules, or what the runtime provides).
   * @default ["@aws-sdk/*"]: Lambda's Node.js runtimes provide the AWS SDK v3
   */
  readonly external?: readonly string[];
  /**
   * Map routing functions' stack frames to the definition's own lines (see RoutesModuleOptions).
   * @default false: deployable bundles hold no absolute path of this machine
   */
  readonly routesSourceMap?: boolean;
}

const ENTRY_NAMESPACE = "sluice-entry";
const ROUTES_NAMESPACE = "sluice-routes";
/** Lambda's Node.js runtimes include the AWS SDK v3; the routing wrapper loads it from there. */
const DEFAULT_EXTERNAL: readonly string[] = ["@aws-sdk/*"];

/**
 * The entry of a function's bundle: the user's module, the definition (for its routing function)
 * and the wrapper. The same bundle runs locally and on AWS, so routing runs in one place.
 */
function entrySource(spec: AppSpec, fn: FunctionSpec, configFile: string, cutRoutes: boolean): string {
  const module = `./${fn.handler.module}`;
  const targets = routeTargets(spec, possibleRouteNames(spec, fn));
  // Only a routing function needs the definition; static routes are data. A routing function
  // comes from its cut-down module when the definition's shape allows (routes-module.ts), so the
  // zip (and its S3 key) stays the same when unrelated settings change.
  const imports =
    fn.routes.kind !== "function"
      ? []
      : cutRoutes
        ? [`import routes from ${JSON.stringify(`${ROUTES_NAMESPACE}:${fn.name}`)};`]
        : [`import definition from ${JSON.stringify(configFile)};`];
  const routes =
    fn.routes.kind === "function"
      ? cutRoutes
        ? "routes"
        : `definition.functions[${JSON.stringify(fn.name)}].routes`
      : fn.routes.kind === "targets"
        ? JSON.stringify(fn.routes.targets)
        : "undefined";
  return [
    `import * as userModule from ${JSON.stringify(module)};`,
    ...imports,
    `import { wrapHandler } from "sluice/runtime";`,
    `export const handler = wrapHandler(userModule, ${JSON.stringify(fn.handler.export)}, {`,
    `  functionName: ${JSON.stringify(fn.name)},`,
    `  handler: ${JSON.stringify(`${fn.handler.module}.${fn.handler.export}`)},`,
    `  routes: ${routes},`,
    `  targets: ${JSON.stringify(targets)},`,
    ...(fn.health === undefined ? [] : [`  health: ${JSON.stringify(fn.health)},`]),
    `});`,
  ].join("\n");
}

/** Bundles every function in one esbuild run: each output stands alone, as a Lambda zip must. */
export async function bundleFunctions(spec: AppSpec, options: BundleOptions): Promise<FunctionBundle[]> {
  const functions = Object.values(spec.functions);
  const entryPoints = Object.fromEntries(
    functions.map((fn) => [`${fn.name}/index`, `${ENTRY_NAMESPACE}:${fn.name}`]),
  );
  const byName = new Map(functions.map((fn) => [fn.name, fn]));
  const routeModules = await routesModules(
    options.configFile,
    functions.filter((fn) => fn.routes.kind === "function").map((fn) => fn.name),
    { sourceMap: options.routesSourceMap ?? false },
  );
  const buildOptions: BuildOptions = {
    entryPoints,
    outdir: options.outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    minify: options.minify ?? false,
    external: [...(options.external ?? DEFAULT_EXTERNAL)],
    // Paths esbuild writes into bundles and source maps are relative to this: the app, not the cwd.
    absWorkingDir: options.dir,
    // Bundled CommonJS dependencies may call require(); ESM output has none of its own.
    banner: {
      js: 'import { createRequire as __sluiceRequire } from "node:module"; const require = __sluiceRequire(import.meta.url);',
    },
    logLevel: "silent",
    metafile: true,
    plugins: [
      sluiceAlias(),
      {
        name: "sluice-entries",
        setup(b) {
          b.onResolve({ filter: new RegExp(`^${ENTRY_NAMESPACE}:`) }, (args) => ({
            path: args.path.slice(ENTRY_NAMESPACE.length + 1),
            namespace: ENTRY_NAMESPACE,
          }));
          b.onResolve({ filter: new RegExp(`^${ROUTES_NAMESPACE}:`) }, (args) => ({
            path: args.path.slice(ROUTES_NAMESPACE.length + 1),
            namespace: ROUTES_NAMESPACE,
          }));
          b.onLoad({ filter: /.*/, namespace: ROUTES_NAMESPACE }, (args) => {
            const contents = routeModules.get(args.path);
            // Relative imports of the definition resolve from its folder.
            return contents === undefined
              ? undefined
              : { contents, resolveDir: dirname(options.configFile), loader: "js" };
          });
          b.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => {
            const fn = byName.get(args.path);
            if (!fn) return undefined;
            return {
              // Relative, so no absolute path of this machine lands in the bundle or its source map.
              contents: entrySource(
                spec,
                fn,
                `./${relative(options.dir, options.configFile).split(sep).join("/")}`,
                routeModules.has(fn.name),
              ),
              resolveDir: options.dir,
              loader: "js",
            };
          });
        },
      },
    ],
  };
  let metafile: Metafile | undefined;
  try {
    ({ metafile } = await withEsbuildService(() => build(buildOptions)));
  } catch (error) {
    throw new SluiceError(
      "SLUICE_BUNDLE",
      `cannot bundle the functions of ${spec.name}: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
  return functions.map((fn) => {
    const file = join(options.outDir, fn.name, "index.mjs");
    return {
      function: fn.name,
      file,
      exportName: "handler",
      inputs: inputFiles(metafile, options.dir, file),
    };
  });
}

/** The files (not virtual modules such as `sluice-entry:fn`) that went into the output `file`. */
function inputFiles(metafile: Metafile | undefined, dir: string, file: string): string[] {
  const output = metafile?.outputs[relative(dir, file).split(sep).join("/")];
  if (!output) return [];
  return metafileInputs(output.inputs, dir);
}

function describe(error: unknown): string {
  const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] })
    .errors;
  if (!errors?.length) return (error as Error).message;
  return errors
    .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
    .join("; ");
}
