/**
 * The scripts a fleet's servers run, checked by the tools that will run them: the EC2 user data
 * by bash, its systemd unit by systemd-analyze, the Fargate container's command by sh, and the
 * artifact fetcher by node.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { containerCommand, FETCH_SCRIPT } from "../../src/aws/resources/server-fleet-fargate.ts";
import { fleetUserData } from "../../src/aws/resources/server-fleet-user-data.ts";
import type { TemplateValue } from "../../src/aws/template/template.ts";
import { zip } from "../../src/bundle/zip.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

type Definition = Parameters<typeof normaliseApp>[0];

const temp = tempDir("sluice-fleet-scripts-");
after(() => temp.cleanup());

const spec = normaliseApp(
  {
    name: "shop",
    functions: { api: { handler: "src/api.handler" }, report: { handler: "src/report.handler" } },
    servers: {
      web: { functions: ["api"], schedules: true, shutdownSeconds: 40 },
      tasks: { functions: ["report"], platform: "fargate" },
    },
  } as unknown as Definition,
  { region: "eu-west-1" },
);

/** What CloudFormation makes of the Fn::Join: each Ref replaced by a plausible value. */
const VALUES: Record<string, string> = {
  "AWS::Region": "eu-west-1",
  "AWS::StackName": "shop",
  ArtifactBucket: "sluice-artifacts-123456789012-eu-west-1",
  WebFleetArtifactKey: "servers/0123abcd.zip",
};

function resolved(value: TemplateValue): string {
  const join = (value as { "Fn::Join": [string, TemplateValue[]] })["Fn::Join"];
  return join[1]
    .map((part) => {
      if (typeof part === "string") return part;
      const name = String((part as { Ref: string }).Ref);
      const found = VALUES[name];
      assert.ok(found !== undefined, `a value for ${name}`);
      return found;
    })
    .join(join[0]);
}

function run(command: string, args: string[]) {
  return spawnSync(command, args, { encoding: "utf8", timeout: 30_000 });
}

describe("the scripts a fleet's servers run", () => {
  const web = spec.servers?.web;
  const tasks = spec.servers?.tasks;
  assert.ok(web && tasks);
  const script = resolved(fleetUserData(spec, web));

  test("bash parses the EC2 user data", () => {
    const file = join(temp.dir, "user-data.sh");
    writeFileSync(file, script);
    const result = run("bash", ["-n", file]);
    assert.equal(result.status, 0, result.stderr);
    // And a broken copy fails, so the check can fail.
    writeFileSync(file, script.replace("then\n", "\n"));
    assert.notEqual(run("bash", ["-n", file]).status, 0);
  });

  test("systemd-analyze finds nothing wrong in the unit but the Node.js binary only an instance has", (t) => {
    if (run("systemd-analyze", ["--version"]).status !== 0) return t.skip("systemd-analyze is not installed");
    const start = script.indexOf("<<'UNIT'\n") + "<<'UNIT'\n".length;
    const unit = script.slice(start, script.indexOf("\nUNIT\n", start));
    const file = join(temp.dir, "sluice-web.service");
    const complaints = (text: string) => {
      writeFileSync(file, `${text}\n`);
      const result = run("systemd-analyze", ["verify", file]);
      return `${result.stdout}${result.stderr}`
        .split("\n")
        .filter((line) => line.trim() !== "" && !/\/usr\/bin\/node-22 is not executable/.test(line));
    };
    assert.deepEqual(complaints(unit), []);
    assert.notDeepEqual(complaints(unit.replace("TimeoutStopSec=", "TimeoutStopSecs=")), []);
  });

  test("sh parses the Fargate container's command", () => {
    const file = join(temp.dir, "command.sh");
    writeFileSync(file, containerCommand(tasks));
    const result = run("sh", ["-n", file]);
    assert.equal(result.status, 0, result.stderr);
  });

  test("node parses the artifact fetcher", () => {
    const file = join(temp.dir, "fetch.cjs");
    writeFileSync(file, FETCH_SCRIPT);
    const result = run(process.execPath, ["--check", file]);
    assert.equal(result.status, 0, result.stderr);
  });

  /**
   * The fetcher as the container runs it (`node -e`, from the folder npm installed the S3 client
   * in), with that client faked to return a zip from a file: it unzips with Node alone.
   */
  function fetchInto(name: string, archive: Buffer) {
    const root = join(temp.dir, name);
    const fake = join(root, "fetch", "node_modules", "@aws-sdk", "client-s3");
    mkdirSync(fake, { recursive: true });
    writeFileSync(
      join(fake, "index.js"),
      [
        'const { readFileSync } = require("node:fs");',
        "exports.GetObjectCommand = class { constructor(input) { this.input = input; } };",
        "exports.S3Client = class { async send(command) {",
        '  if (command.input.Key !== "servers/abc.zip") throw new Error("wrong key " + command.input.Key);',
        "  return { Body: { transformToByteArray: async () => new Uint8Array(readFileSync(process.env.FAKE_OBJECT)) } };",
        "} };",
      ].join("\n"),
    );
    writeFileSync(join(root, "object.zip"), archive);
    const app = join(root, "app");
    mkdirSync(app);
    const result = spawnSync(process.execPath, ["-e", FETCH_SCRIPT, app], {
      cwd: join(root, "fetch"),
      encoding: "utf8",
      timeout: 30_000,
      env: {
        PATH: process.env.PATH ?? "",
        FAKE_OBJECT: join(root, "object.zip"),
        SLUICE_ARTIFACT_BUCKET: "bucket",
        SLUICE_ARTIFACT_KEY: "servers/abc.zip",
      },
    });
    return { app, root, result };
  }

  test("the artifact fetcher unzips stored and deflated entries with Node alone", () => {
    const big = Buffer.from("export const handler = () => 'ok';\n".repeat(200));
    const { app, result } = fetchInto(
      "fetch-ok",
      zip([
        { path: "app.json", data: Buffer.from("{}") },
        { path: "bundles/api/index.mjs", data: big },
        { path: "vendor/sluice/bin/sluice.js", data: Buffer.from("x") },
      ]),
    );
    assert.equal(result.status, 0, result.stderr);
    assert.ok(readFileSync(join(app, "bundles", "api", "index.mjs")).equals(big));
    assert.equal(readFileSync(join(app, "app.json"), "utf8"), "{}");
    assert.equal(readFileSync(join(app, "vendor", "sluice", "bin", "sluice.js"), "utf8"), "x");
  });

  test("the artifact fetcher refuses an entry that would land outside the app folder", () => {
    const { root, result } = fetchInto(
      "fetch-hostile",
      zip([{ path: "../escaped.txt", data: Buffer.from("x") }]),
    );
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /outside/);
    assert.throws(() => readFileSync(join(root, "escaped.txt")));
  });
});
