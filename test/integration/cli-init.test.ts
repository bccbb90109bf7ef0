import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ROOT, sluice } from "../support/cli-process.ts";
import { tempDir } from "../support/temp.ts";

const WRITTEN = [
  "sluice.config.ts",
  "src/hello.ts",
  "src/log.ts",
  "tsconfig.json",
  ".gitignore",
  "package.json",
];

function readJson(file: string): Record<string, Record<string, string> | string> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, string> | string>;
}

describe("sluice init", () => {
  test("writes a complete app into an empty folder, with a new package.json", async (t) => {
    const temp = tempDir("sluice-init-");
    t.after(() => temp.cleanup());
    const dir = join(temp.dir, "orders");
    const result = await sluice(["init", dir]);
    assert.equal(result.code, 0, result.stderr);
    for (const file of WRITTEN) assert.ok(existsSync(join(dir, file)), file);
    const pkg = readJson(join(dir, "package.json"));
    assert.equal(pkg.name, "orders");
    assert.equal(pkg.type, "module");
    assert.deepEqual(Object.keys(pkg.devDependencies as object).sort(), [
      "@types/aws-lambda",
      "@types/node",
      "sluice",
      "typescript",
    ]);
    // Run from a clone, the app depends on that clone's folder, which `npm install` can link.
    assert.equal((pkg.devDependencies as Record<string, string>).sluice, `file:${ROOT}`);
    assert.deepEqual(pkg.scripts, { dev: "sluice dev", synth: "sluice synth", typecheck: "tsc --noEmit" });
    assert.deepEqual(readFileSync(join(dir, ".gitignore"), "utf8").trim().split("\n"), [
      ".sluice/",
      ".sluice-cloud/",
      "node_modules/",
    ]);
    assert.match(readFileSync(join(dir, "sluice.config.ts"), "utf8"), /name: "orders"/);
  });

  test("merges into an existing package.json, keeping its fields and its sluice dependency", async (t) => {
    const temp = tempDir("sluice-init-");
    t.after(() => temp.cleanup());
    const existing = {
      name: "@acme/shop",
      version: "3.1.4",
      description: "kept",
      scripts: { dev: "my own dev", test: "node --test" },
      dependencies: { sluice: "file:../sluice-0.1.0.tgz", zod: "^4.0.0" },
      devDependencies: { typescript: "5.8.2" },
    };
    writeFileSync(join(temp.dir, "package.json"), JSON.stringify(existing));
    writeFileSync(join(temp.dir, ".gitignore"), "dist\nnode_modules/");
    const result = await sluice(["init", temp.dir]);
    assert.equal(result.code, 0, result.stderr);
    const pkg = readJson(join(temp.dir, "package.json"));
    assert.equal(pkg.name, "@acme/shop");
    assert.equal(pkg.version, "3.1.4");
    assert.equal(pkg.description, "kept");
    assert.equal(pkg.type, "module");
    assert.deepEqual(pkg.dependencies, existing.dependencies);
    assert.deepEqual(pkg.devDependencies, {
      "@types/aws-lambda": "^8.10.164",
      "@types/node": "^24.0.0",
      typescript: "5.8.2",
    });
    assert.deepEqual(pkg.scripts, {
      dev: "my own dev",
      test: "node --test",
      synth: "sluice synth",
      typecheck: "tsc --noEmit",
    });
    assert.equal(
      readFileSync(join(temp.dir, ".gitignore"), "utf8"),
      "dist\nnode_modules/\n.sluice/\n.sluice-cloud/\n",
    );
    assert.match(result.stdout, /package\.json: kept every field, added "type": "module", script synth/);
  });

  test("refuses to overwrite an existing file and writes nothing", async (t) => {
    const temp = tempDir("sluice-init-");
    t.after(() => temp.cleanup());
    writeFileSync(join(temp.dir, "tsconfig.json"), "{}\n");
    const result = await sluice(["init", temp.dir]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /already has tsconfig\.json; init never overwrites a file\. Move or rename it/,
    );
    assert.equal(readFileSync(join(temp.dir, "tsconfig.json"), "utf8"), "{}\n");
    for (const file of ["sluice.config.ts", "src/hello.ts", "package.json", ".gitignore"]) {
      assert.ok(!existsSync(join(temp.dir, file)), `${file} was written`);
    }
  });

  test("an unreadable package.json is an error naming the file and the fix", async (t) => {
    const temp = tempDir("sluice-init-");
    t.after(() => temp.cleanup());
    writeFileSync(join(temp.dir, "package.json"), "{ not json");
    const result = await sluice(["init", temp.dir]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /package\.json is not valid JSON .*fix it or remove it, then run sluice init again/,
    );
    assert.ok(!existsSync(join(temp.dir, "sluice.config.ts")));
  });

  test("its closing lines name commands that work from the app's folder", async (t) => {
    const temp = tempDir("sluice-init-");
    t.after(() => temp.cleanup());
    const result = await sluice(["init", join(temp.dir, "app")]);
    assert.equal(result.code, 0, result.stderr);
    const next = result.stdout.slice(result.stdout.indexOf("next:"));
    const commands = next
      .split("\n")
      .slice(1)
      .map((line) => line.trim().replace(/\s+#.*$/, ""))
      .filter((line) => line !== "");
    assert.match(commands[0] ?? "", /^cd .*app$/);
    assert.deepEqual(commands.slice(1), [
      "npm install",
      "npx sluice dev",
      `npx sluice invoke hello --event '{"name":"Ada"}'`,
      "npx tsc --noEmit",
      "npx sluice synth",
    ]);
  });

  test("the app type-checks with tsc against Sluice's declaration files, never its sources", async (t) => {
    const temp = tempDir("sluice-init-");
    t.after(() => temp.cleanup());
    const dir = join(temp.dir, "typed");
    assert.equal((await sluice(["init", dir])).code, 0);
    // What `npm install` would give: Sluice's package (its exports name dist/*.d.ts) and the types.
    mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
    symlinkSync(ROOT, join(dir, "node_modules", "sluice"));
    for (const types of ["node", "aws-lambda"]) {
      symlinkSync(join(ROOT, "node_modules", "@types", types), join(dir, "node_modules", "@types", types));
    }
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const listed = await new Promise<{ code: number; out: string }>((done) => {
      execFile(process.execPath, [tsc, "--noEmit", "--listFiles"], { cwd: dir }, (error, stdout, stderr) =>
        done({ code: error ? 1 : 0, out: stdout + stderr }),
      );
    });
    assert.equal(listed.code, 0, listed.out);
    const files = listed.out.split("\n");
    assert.ok(files.includes(join(ROOT, "dist", "index.d.ts")), "sluice's types come from dist/index.d.ts");
    assert.deepEqual(
      files.filter((file) => file.startsWith(join(ROOT, "src"))),
      [],
      "no source file of Sluice is read",
    );
  });
});
