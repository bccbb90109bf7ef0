import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { appFileText } from "../../src/bundle/app-file.ts";
import type { BuildManifest } from "../../src/bundle/build-app.ts";
import { importedPackages } from "../../src/bundle/imported-packages.ts";
import {
  type ServerArtifactInput,
  serverArtifactEntries,
  serverArtifactKey,
} from "../../src/bundle/server-artifact.ts";
import { sluicePackedFiles } from "../../src/bundle/sluice-package.ts";
import { readZip } from "../../src/bundle/unzip.ts";
import { zip } from "../../src/bundle/zip.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { normaliseApp as normalise } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

function definition() {
  return {
    name: "shop",
    queues: { orders: {} },
    functions: {
      api: { handler: "src/api.handler", http: "GET /hello" },
      worker: { handler: "src/worker.handler", consumes: { queue: "orders" } },
      cron: { handler: "src/cron.handler" },
    },
    servers: { web: { functions: ["api", "worker"] } },
  };
}

const spec: AppSpec = normalise(definition());

const bundleSource: Record<string, string> = {
  api: [
    'import { SQSClient } from "@aws-sdk/client-sqs";',
    'const lambda = () => import("@aws-sdk/client-lambda");',
    'export { marshall } from "@aws-sdk/util-dynamodb/dist-cjs/index.js";',
    "export const handler = () => SQSClient;",
  ].join("\n"),
  worker: [
    'import { createRequire as __sluiceRequire } from "node:module";',
    "const require = __sluiceRequire(import.meta.url);",
    'const s3 = require("@aws-sdk/client-s3");',
    "export const handler = () => s3;",
  ].join("\n"),
  cron: 'import "@aws-sdk/client-scheduler"; export const handler = () => 1;',
};

function manifest(): BuildManifest {
  const fn = (name: string) => ({
    function: name,
    zip: `${name}.zip`,
    bytes: 1,
    sha256: "00",
    codeSha256: "AA==",
    unzippedBytes: 1,
    files: [
      { path: "index.mjs", bytes: 1, sha256: "00" },
      { path: "index.mjs.map", bytes: 1, sha256: "00" },
    ],
  });
  return { app: "shop", functions: { api: fn("api"), cron: fn("cron"), worker: fn("worker") } };
}

function input(overrides: Partial<ServerArtifactInput> = {}): ServerArtifactInput {
  return {
    spec,
    fleet: "web",
    manifest: manifest(),
    readBundleFile: (fn, path) =>
      Buffer.from(path === "index.mjs" ? (bundleSource[fn] ?? "") : `{"version":3,"file":"${fn}"}`),
    sluice: {
      version: "0.1.0",
      manifest: {
        name: "sluice",
        version: "0.1.0",
        type: "module",
        bin: { sluice: "bin/sluice.js" },
        files: ["bin", "dist"],
        scripts: { prepare: "node scripts/build.mjs" },
        dependencies: { esbuild: "^0.28.2" },
        devDependencies: { typescript: "5.9.3" },
      },
      dependencies: {
        "@aws-sdk/client-sqs": "^3.1169.0",
        "@aws-sdk/client-lambda": "^3.1162.0",
        "@aws-sdk/client-s3": "^3.1169.0",
      },
    },
    installedVersion: (name) => (name === "@aws-sdk/util-dynamodb" ? "3.1178.0" : undefined),
    sluiceFiles: () => [
      { path: "bin/sluice.js", data: Buffer.from('import "../dist/cli.js";\n') },
      { path: "dist/cli.js", data: Buffer.from("export const main = () => 0;\n") },
      { path: "dist/cli.js.map", data: Buffer.from('{"version":3}') },
    ],
    ...overrides,
  };
}

function entry(entries: readonly { path: string; data: Uint8Array }[], path: string): string {
  const found = entries.find((e) => e.path === path);
  assert.ok(found, `${path} is in the artifact`);
  return Buffer.from(found.data).toString("utf8");
}

describe("importedPackages", () => {
  test("finds static, dynamic, re-exported and required packages, without subpaths", () => {
    const source = [
      'import a from "@aws-sdk/client-sqs";',
      'import "side-effect/deep/file.js";',
      'export * from "@aws-sdk/lib-dynamodb";',
      'export { x } from "./local.mjs";',
      'const b = await import("@aws-sdk/client-sfn");',
      'const c = require("@aws-sdk/client-s3/dist-cjs/index.js");',
      'const d = __require("lodash");',
      'const e = require("node:fs"); const f = import("../up.js");',
      "const g = import(name); const h = require(other);",
    ].join("\n");
    assert.deepEqual(importedPackages(source), [
      "@aws-sdk/client-s3",
      "@aws-sdk/client-sfn",
      "@aws-sdk/client-sqs",
      "@aws-sdk/lib-dynamodb",
      "lodash",
      "side-effect",
    ]);
  });

  test("ignores package names that only appear in strings and comments", () => {
    const source = [
      '// import x from "@aws-sdk/client-s3";',
      'const text = "import y from \\"@aws-sdk/client-sns\\"";',
      "/* require('@aws-sdk/client-kms') */",
      "export const handler = () => text;",
    ].join("\n");
    assert.deepEqual(importedPackages(source), []);
  });
});

describe("serverArtifactEntries", () => {
  test("holds app.json, manifest.json, package.json and only the fleet's bundles; the vendored sluice without its source maps", () => {
    const entries = serverArtifactEntries(input());
    assert.deepEqual(entries.map((e) => e.path).sort(), [
      "app.json",
      "bundles/api/index.mjs",
      "bundles/api/index.mjs.map",
      "bundles/worker/index.mjs",
      "bundles/worker/index.mjs.map",
      "manifest.json",
      "package.json",
      "vendor/sluice/bin/sluice.js",
      "vendor/sluice/dist/cli.js",
      "vendor/sluice/package.json",
    ]);
    const written = JSON.parse(entry(entries, "app.json")) as { format: number; spec: unknown };
    assert.equal(written.format, 1);
    assert.deepEqual(written.spec, spec);
    const served = JSON.parse(entry(entries, "manifest.json")) as BuildManifest & { fleet: string };
    assert.equal(served.fleet, "web");
    assert.deepEqual(Object.keys(served.functions), ["api", "worker"]);
  });

  test("package.json pins this sluice and the AWS SDK packages the fleet's bundles leave external", () => {
    const pkg = JSON.parse(entry(serverArtifactEntries(input()), "package.json")) as Record<string, unknown>;
    assert.deepEqual(pkg, {
      name: "shop-web-server",
      private: true,
      type: "module",
      dependencies: {
        "@aws-sdk/client-lambda": "^3.1162.0",
        "@aws-sdk/client-s3": "^3.1169.0",
        "@aws-sdk/client-sqs": "^3.1169.0",
        // Not one of Sluice's dependencies: the version the app has installed.
        "@aws-sdk/util-dynamodb": "3.1178.0",
        // The deploying Sluice itself, inside the artifact: never whatever npm calls "sluice".
        sluice: "file:vendor/sluice",
      },
    });
    assert.deepEqual(Object.keys(pkg), ["name", "private", "type", "dependencies"]);
  });

  test("vendors this sluice's packed files with a package.json that installs without its build scripts", () => {
    const entries = serverArtifactEntries(input());
    assert.equal(entry(entries, "vendor/sluice/dist/cli.js"), "export const main = () => 0;\n");
    const vendored = JSON.parse(entry(entries, "vendor/sluice/package.json")) as Record<string, unknown>;
    // npm runs a linked folder's `prepare`; Sluice's builds from sources the artifact does not hold.
    assert.deepEqual(vendored, {
      name: "sluice",
      version: "0.1.0",
      type: "module",
      bin: { sluice: "bin/sluice.js" },
      files: ["bin", "dist"],
      dependencies: { esbuild: "^0.28.2" },
    });
  });

  test("leaves out the SDK packages only functions outside the fleet import", () => {
    const pkg = entry(serverArtifactEntries(input()), "package.json");
    assert.doesNotMatch(pkg, /client-scheduler/);
  });

  test("refuses an SDK package neither Sluice nor the app provides, naming the function", () => {
    assert.throws(
      () => serverArtifactEntries(input({ installedVersion: () => undefined })),
      (error: Error & { code?: string }) =>
        error.code === "SLUICE_SERVER_ARTIFACT" &&
        /@aws-sdk\/util-dynamodb/.test(error.message) &&
        /api/.test(error.message),
    );
  });

  test("refuses a fleet the app does not define, listing the fleets it has", () => {
    assert.throws(
      () => serverArtifactEntries(input({ fleet: "nope" })),
      (error: Error & { code?: string }) =>
        error.code === "SLUICE_SERVER_ARTIFACT" && /"nope"/.test(error.message) && /web/.test(error.message),
    );
    assert.throws(
      () => serverArtifactEntries(input({ fleet: "constructor" })),
      (error: Error & { code?: string }) =>
        error.code === "SLUICE_SERVER_ARTIFACT" && /"constructor"/.test(error.message),
    );
  });

  test("refuses a build that lacks one of the fleet's functions", () => {
    const partial = manifest();
    const { worker: _dropped, ...functions } = partial.functions;
    assert.throws(
      () => serverArtifactEntries(input({ manifest: { ...partial, functions } })),
      (error: Error & { code?: string }) =>
        error.code === "SLUICE_SERVER_ARTIFACT" && /worker/.test(error.message),
    );
  });

  test("the same input gives the same zip bytes, and its key is servers/<sha256>.zip", () => {
    const a = zip(serverArtifactEntries(input()));
    const b = zip(serverArtifactEntries(input()));
    assert.ok(a.equals(b));
    assert.match(serverArtifactKey("ab".repeat(32)), /^servers\/(ab){32}\.zip$/);
  });
});

describe("sluicePackedFiles", () => {
  function packageAt(files: Record<string, string>): { root: string; cleanup: () => void } {
    const temp = tempDir("sluice-packed-");
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(temp.dir, path)), { recursive: true });
      writeFileSync(join(temp.dir, path), text);
    }
    return { root: temp.dir, cleanup: temp.cleanup };
  }
  const manifest = { name: "sluice", files: ["bin", "dist", "!dist/.tsbuildinfo"] };

  test("ships what npm pack would: `files`, less its exclusions, with README and LICENSE, sorted", (t) => {
    const pkg = packageAt({
      "bin/sluice.js": "b",
      "dist/cli.js": "c",
      "dist/aws/index.js": "a",
      "dist/.tsbuildinfo": "x",
      "src/cli.ts": "s",
      "test/a.test.ts": "t",
      "README.md": "r",
      LICENSE: "l",
      "package.json": "{}",
    });
    t.after(pkg.cleanup);
    const files = sluicePackedFiles(pkg.root, manifest);
    assert.deepEqual(
      files.map((f) => f.path),
      ["LICENSE", "README.md", "bin/sluice.js", "dist/aws/index.js", "dist/cli.js"],
    );
    assert.equal(Buffer.from(files[3]?.data ?? []).toString(), "a");
  });

  test("refuses a checkout whose dist/ was never built, and a glob it cannot read as npm does", (t) => {
    const pkg = packageAt({ "bin/sluice.js": "b" });
    t.after(pkg.cleanup);
    assert.throws(() => sluicePackedFiles(pkg.root, manifest), /dist\/cli\.js is missing/);
    assert.throws(() => sluicePackedFiles(pkg.root, { files: ["dist/**/*.js"] }), /glob/);
  });
});

describe("appFileText", () => {
  test("writes { format: 1, spec } that reads back equal, byte-identical each time", () => {
    const text = appFileText(spec);
    assert.equal(text, appFileText(normalise(definition())));
    assert.deepEqual(JSON.parse(text), { format: 1, spec });
    assert.ok(text.endsWith("}\n"));
  });
});

describe("readZip", () => {
  const ok = { path: "bundles/api/index.mjs", data: Buffer.from("export const handler = 1;\n") };

  test("reads back the entries zip() wrote", () => {
    const entries = readZip(zip([ok, { path: "app.json", data: Buffer.from("{}") }]));
    assert.deepEqual(
      entries.map((e) => [e.path, Buffer.from(e.data).toString("utf8")]),
      [
        ["app.json", "{}"],
        ["bundles/api/index.mjs", "export const handler = 1;\n"],
      ],
    );
  });

  for (const path of [
    "../x",
    "bundles/../../x",
    "/etc/passwd",
    "C:/x",
    "a\\..\\..\\x",
    "bundles//x",
    "./x",
  ]) {
    test(`refuses an entry named ${JSON.stringify(path)}`, () => {
      assert.throws(
        () => readZip(zip([ok, { path, data: Buffer.from("x") }])),
        (error: Error & { code?: string }) =>
          error.code === "SLUICE_UNZIP" && error.message.includes(JSON.stringify(path)),
      );
    });
  }

  test("refuses a symbolic link", () => {
    const archive = zip([{ path: "link", data: Buffer.from("/etc/passwd") }]);
    // The central directory's external attributes hold the Unix mode in their high 16 bits.
    const central = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    archive.writeUInt32LE((0o120777 << 16) >>> 0, central + 38);
    assert.throws(
      () => readZip(archive),
      (error: Error & { code?: string }) =>
        error.code === "SLUICE_UNZIP" && /symbolic link/.test(error.message),
    );
  });

  test("refuses an entry whose content does not match its checksum", () => {
    const archive = zip([{ path: "a.txt", data: Buffer.from("aaaaaaaaaa") }]);
    archive.writeUInt32LE(0, archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 16);
    assert.throws(
      () => readZip(archive),
      (error: Error & { code?: string }) => error.code === "SLUICE_UNZIP" && /a\.txt/.test(error.message),
    );
  });

  test("refuses an entry that inflates past the size it declares", () => {
    const archive = zip([{ path: "bomb.txt", data: Buffer.alloc(100_000, 97) }]);
    archive.writeUInt32LE(10, archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    assert.throws(
      () => readZip(archive),
      (error: Error & { code?: string }) => error.code === "SLUICE_UNZIP" && /bomb\.txt/.test(error.message),
    );
  });

  test("refuses what is not a zip", () => {
    assert.throws(
      () => readZip(Buffer.from("not a zip at all")),
      (error: Error & { code?: string }) => error.code === "SLUICE_UNZIP",
    );
  });
});
