import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type BuildResult, buildApp } from "../../src/bundle/build-app.ts";
import { type LoadedApp, loadApp } from "../../src/bundle/load-app.ts";
import { type ServerArtifact, writeServerArtifact } from "../../src/bundle/server-artifact.ts";
import { zip } from "../../src/bundle/zip.ts";
import { readServedApp, unzipServerArtifact } from "../../src/serve/served-app.ts";
import { run } from "../support/cli-in-process.ts";
import { copyApp, type TempDir, tempDir } from "../support/temp.ts";

const EXAMPLE = resolve(import.meta.dirname, "..", "..", "examples", "pipeline");
const temps: TempDir[] = [];
after(() => {
  for (const temp of temps) temp.cleanup();
});

function temp(prefix: string): string {
  const made = tempDir(prefix);
  temps.push(made);
  return made.dir;
}

/** The pipeline example with a fleet serving `submit` (HTTP) and `ingest` (a queue consumer). */
function hybridPipeline(): string {
  const copy = copyApp(EXAMPLE, "sluice-artifact-app-");
  temps.push(copy);
  const config = join(copy.dir, "sluice.config.ts");
  const source = readFileSync(config, "utf8");
  const withFleet = source.replace(
    /\n {2}functions: \{\n/,
    '\n  servers: { web: { functions: ["submit", "ingest"], port: 8080 } },\n  functions: {\n',
  );
  assert.notEqual(withFleet, source, "the fleet was added to the definition");
  writeFileSync(config, withFleet);
  return copy.dir;
}

async function buildWithArtifact(): Promise<{
  app: LoadedApp;
  build: BuildResult;
  artifact: ServerArtifact;
}> {
  const app = await loadApp(hybridPipeline());
  const build = await buildApp(app);
  const outFile = join(temp("sluice-artifact-out-"), "web.zip");
  const artifact = await writeServerArtifact({ build, spec: app.spec, fleet: "web", outFile });
  return { app, build, artifact };
}

/** Python's zipfile lists the archive: a reader we did not write. */
function zipNames(file: string): string[] {
  const script = "import json, sys, zipfile\nprint(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))";
  return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as string[];
}

function unzipped(artifact: ServerArtifact): string {
  const dir = join(temp("sluice-artifact-unzip-"), "app");
  unzipServerArtifact(artifact.file, dir);
  return dir;
}

function refusal(pattern: RegExp) {
  return (error: Error & { code?: string }) =>
    error.code === "SLUICE_SERVED_APP" && pattern.test(error.message) ? true : assert.fail(error);
}

describe("server artifact", () => {
  test("two builds in two folders give a byte-identical artifact and the same key", async () => {
    const first = await buildWithArtifact();
    const second = await buildWithArtifact();
    assert.ok(readFileSync(first.artifact.file).equals(readFileSync(second.artifact.file)));
    assert.equal(first.artifact.key, `servers/${first.artifact.sha256}.zip`);
    assert.equal(first.artifact.key, second.artifact.key);
    assert.equal(first.artifact.bytes, statSync(first.artifact.file).size);
    assert.equal(
      readFileSync(first.build.appFile, "utf8"),
      readFileSync(second.build.appFile, "utf8"),
      "app.json of the build is byte-identical too",
    );
  });

  test("holds exactly app.json, manifest.json, package.json, the fleet's bundles and this sluice", async () => {
    const { artifact } = await buildWithArtifact();
    const names = zipNames(artifact.file).sort();
    assert.deepEqual(
      names.filter((name) => !name.startsWith("vendor/sluice/")),
      [
        "app.json",
        "bundles/ingest/index.mjs",
        "bundles/ingest/index.mjs.map",
        "bundles/submit/index.mjs",
        "bundles/submit/index.mjs.map",
        "manifest.json",
        "package.json",
      ],
    );
    const vendored = names.filter((name) => name.startsWith("vendor/sluice/")).map((n) => n.slice(14));
    assert.ok(vendored.includes("package.json") && vendored.includes("bin/sluice.js"));
    assert.ok(vendored.includes("dist/cli.js"));
    assert.ok(
      vendored.every((name) => /^(?:package\.json|README\.md|bin\/|dist\/)/.test(name)),
      "only what npm pack ships",
    );
    assert.ok(!vendored.includes("dist/.tsbuildinfo"));
    assert.ok(!vendored.some((name) => name.endsWith(".map")), "no source maps of sluice's own");
  });

  test("the vendored sluice runs from the installed layout, at the deploying version", async () => {
    const { artifact } = await buildWithArtifact();
    const dir = unzipped(artifact);
    // What npm does for `file:vendor/sluice`: a link in node_modules, its dependencies beside it.
    const modules = join(dir, "node_modules");
    mkdirSync(modules);
    const own = resolve(import.meta.dirname, "..", "..");
    for (const name of readdirSync(join(own, "node_modules"))) {
      if (name !== "sluice" && !name.startsWith(".")) {
        symlinkSync(join(own, "node_modules", name), join(modules, name), "dir");
      }
    }
    symlinkSync(join("..", "vendor", "sluice"), join(modules, "sluice"), "dir");
    const version = execFileSync(
      process.execPath,
      [join(dir, "node_modules", "sluice", "bin", "sluice.js"), "--version"],
      {
        encoding: "utf8",
      },
    );
    const expected = (JSON.parse(readFileSync(join(own, "package.json"), "utf8")) as { version: string })
      .version;
    assert.match(version, new RegExp(expected.replaceAll(".", "\\.")));
  });

  test("package.json pins this sluice and the SDK clients the bundles import", async () => {
    const { artifact } = await buildWithArtifact();
    const dir = unzipped(artifact);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      name: string;
      dependencies: Record<string, string>;
    };
    const own = JSON.parse(
      readFileSync(resolve(import.meta.dirname, "..", "..", "package.json"), "utf8"),
    ) as {
      version: string;
      dependencies: Record<string, string>;
    };
    assert.equal(pkg.name, "pipeline-web-server");
    assert.equal(pkg.dependencies.sluice, "file:vendor/sluice");
    const vendored = JSON.parse(readFileSync(join(dir, "vendor", "sluice", "package.json"), "utf8")) as {
      version: string;
      scripts?: unknown;
    };
    assert.equal(vendored.version, own.version);
    assert.equal(vendored.scripts, undefined);
    // submit sends with the plain SDK; the routing wrapper loads SQS and Lambda clients on AWS.
    assert.equal(pkg.dependencies["@aws-sdk/client-sqs"], own.dependencies["@aws-sdk/client-sqs"]);
    assert.equal(pkg.dependencies["@aws-sdk/client-lambda"], own.dependencies["@aws-sdk/client-lambda"]);
    assert.ok(
      Object.keys(pkg.dependencies).every((name) => name === "sluice" || name.startsWith("@aws-sdk/")),
    );
  });
});

describe("readServedApp", () => {
  test("reads an unzipped artifact: the spec written, and bundles that load", async () => {
    const { app, artifact } = await buildWithArtifact();
    const served = readServedApp(unzipped(artifact));
    assert.deepEqual(served.spec, app.spec);
    for (const fn of ["submit", "ingest"]) {
      const code = served.code(fn);
      assert.ok(existsSync(code.file), `${fn}'s bundle exists`);
      assert.equal(code.exportName, "handler");
    }
    // ingest loads the SDK only when it routes, so it imports here without one installed.
    const ingest = served.code("ingest");
    const module = (await import(pathToFileURL(ingest.file).href)) as Record<string, unknown>;
    assert.equal(typeof module[ingest.exportName], "function");
    assert.throws(() => served.code("render"), refusal(/render.*(no bundle|not served)/));
  });

  test("reads a `sluice build` folder: every function", async () => {
    const { app, build } = await buildWithArtifact();
    const served = readServedApp(build.outDir);
    assert.deepEqual(served.spec, app.spec);
    for (const fn of ["ingest", "publish", "render", "submit"]) assert.ok(existsSync(served.code(fn).file));
  });

  test("refuses a folder without app.json, with invalid JSON, or of an unknown format", async () => {
    const { artifact } = await buildWithArtifact();
    const dir = unzipped(artifact);
    const appFile = join(dir, "app.json");
    const text = readFileSync(appFile, "utf8");
    rmSync(appFile);
    assert.throws(() => readServedApp(dir), refusal(/app\.json/));
    writeFileSync(appFile, "{ not json");
    assert.throws(() => readServedApp(dir), refusal(/app\.json.*not JSON/));
    writeFileSync(appFile, text.replace('"format": 1', '"format": 2'));
    assert.throws(() => readServedApp(dir), refusal(/format 2/));
    writeFileSync(appFile, JSON.stringify({ format: 1, spec: { name: "x" } }));
    assert.throws(() => readServedApp(dir), refusal(/spec/));
  });

  test("refuses a function whose bundle is missing", async () => {
    const { artifact } = await buildWithArtifact();
    const dir = unzipped(artifact);
    rmSync(join(dir, "bundles", "ingest", "index.mjs"));
    assert.throws(() => readServedApp(dir), refusal(/ingest/));
  });

  test("never lets a name from the files become a path out of the folder", async () => {
    const { artifact } = await buildWithArtifact();
    const dir = unzipped(artifact);
    const manifestFile = join(dir, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { functions: Record<string, unknown> };
    for (const name of ["..", "../outside", "a/b", "."]) {
      writeFileSync(manifestFile, JSON.stringify({ ...manifest, functions: { [name]: {} } }));
      assert.throws(() => readServedApp(dir), refusal(/not a function name|no function/), name);
    }
  });

  test("refuses a bundle that links outside the folder", async () => {
    const { artifact } = await buildWithArtifact();
    const dir = unzipped(artifact);
    const outside = temp("sluice-artifact-outside-");
    mkdirSync(join(outside, "ingest"));
    writeFileSync(join(outside, "ingest", "index.mjs"), "export const handler = () => 'evil';\n");
    rmSync(join(dir, "bundles", "ingest"), { recursive: true });
    symlinkSync(join(outside, "ingest"), join(dir, "bundles", "ingest"), "dir");
    assert.throws(() => readServedApp(dir), refusal(/outside/));
  });
});

describe("unzipServerArtifact", () => {
  for (const path of ["../escaped.txt", "/tmp/absolute.txt"]) {
    test(`refuses a zip with an entry named ${path}, writing nothing`, () => {
      const root = temp("sluice-artifact-hostile-");
      const file = join(root, "hostile.zip");
      writeFileSync(
        file,
        zip([
          { path: "app.json", data: Buffer.from("{}") },
          { path, data: Buffer.from("x") },
        ]),
      );
      const dir = join(root, "sub", "app");
      assert.throws(
        () => unzipServerArtifact(file, dir),
        (error: Error & { code?: string }) => error.code === "SLUICE_UNZIP",
      );
      assert.equal(existsSync(dir), false);
      assert.equal(existsSync(join(root, "sub", "escaped.txt")), false);
    });
  }

  test("refuses to unzip into a folder that holds files", async () => {
    const { artifact } = await buildWithArtifact();
    const dir = temp("sluice-artifact-full-");
    writeFileSync(join(dir, "app.json"), "{}");
    assert.throws(
      () => unzipServerArtifact(artifact.file, dir),
      (error: Error & { code?: string }) =>
        error.code === "SLUICE_SERVER_ARTIFACT" && /not empty/.test(error.message),
    );
  });
});

describe("sluice build", () => {
  test("writes app.json beside the manifest, and names the fleets it can serve", async () => {
    const dir = hybridPipeline();
    const result = await run(["build", dir]);
    assert.equal(result.code, 0, result.err);
    const appFile = JSON.parse(readFileSync(join(dir, ".sluice", "build", "app.json"), "utf8")) as {
      format: number;
      spec: { name: string; servers: Record<string, unknown> };
    };
    assert.equal(appFile.format, 1);
    assert.equal(appFile.spec.name, "pipeline");
    assert.deepEqual(Object.keys(appFile.spec.servers), ["web"]);
    assert.match(result.out, /sluice serve --artifact .*--fleet web/);
    const json = await run(["build", dir, "--json"]);
    assert.equal(json.code, 0, json.err);
    const manifest = JSON.parse(json.out) as { app: string; functions: Record<string, unknown> };
    assert.deepEqual(Object.keys(manifest), ["app", "functions"], "--json prints the manifest as before");
  });
});
