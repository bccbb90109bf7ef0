import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { appAndRegions, regionsOption } from "../../src/cli/aws-options.ts";
import { main } from "../../src/cli/main.ts";
import { UsageError } from "../../src/cli/usage-error.ts";
import { appRegions } from "../../src/model/failover.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

const args = (region?: string) => ({ positionals: [], values: region === undefined ? {} : { region } });
const twoRegions = normaliseApp({
  name: "app",
  regions: { primary: "us-east-1", secondary: ["us-west-2"] },
  functions: { api: { handler: "src/api.handler" } },
});
const all = appRegions(twoRegions);

describe("regionsOption", () => {
  test("an app with regions acts in all of them, primary first, without --region", () => {
    assert.deepEqual(regionsOption(args(), all, "deploy", all), ["us-east-1", "us-west-2"]);
  });

  test("--region narrows an app with regions to some of them", () => {
    assert.deepEqual(regionsOption(args("us-west-2"), all, "deploy", all), ["us-west-2"]);
  });

  test("--region outside an app's regions is a usage error naming them", () => {
    assert.throws(
      () => regionsOption(args("us-west-2,eu-west-1"), all, "destroy", all),
      (error: unknown) =>
        error instanceof UsageError &&
        /us-east-1, us-west-2/.test(error.message) &&
        /eu-west-1/.test(error.message),
    );
  });

  test("a one-region app keeps its region, and --region may name any", () => {
    assert.deepEqual(regionsOption(args(), "eu-west-1", "status"), ["eu-west-1"]);
    assert.deepEqual(regionsOption(args("ap-south-1,eu-west-1"), "eu-west-1", "status"), [
      "ap-south-1",
      "eu-west-1",
    ]);
  });
});

describe("appAndRegions", () => {
  test("deploy, destroy and status of an app with regions act in every region unless --region narrows", async () => {
    const temp = tempDir("sluice-regions-");
    writeFileSync(
      join(temp.dir, "sluice.config.ts"),
      `import { defineApp } from "sluice";\n` +
        `export default defineApp({ name: "two", regions: { primary: "eu-west-1", secondary: ["eu-central-1"] },\n` +
        `  functions: { api: { handler: "src/api.handler" } } });\n`,
    );
    mkdirSync(join(temp.dir, "src"));
    writeFileSync(join(temp.dir, "src", "api.ts"), "export const handler = async () => 1;\n");
    try {
      const all = await appAndRegions({ positionals: [], values: { dir: temp.dir } }, undefined, "deploy");
      assert.deepEqual(all.regions, ["eu-west-1", "eu-central-1"]);
      assert.equal(all.app.spec.region, "eu-west-1");
      const one = await appAndRegions(
        { positionals: [], values: { dir: temp.dir, region: "eu-central-1" } },
        undefined,
        "status",
      );
      assert.deepEqual(one.regions, ["eu-central-1"]);
      await assert.rejects(
        appAndRegions(
          { positionals: [], values: { dir: temp.dir, region: "us-east-1" } },
          undefined,
          "destroy",
        ),
        UsageError,
      );
    } finally {
      temp.cleanup();
    }
  });
});

describe("logs of an app with regions", () => {
  test("without --region it asks for one, naming the app's regions (it reads one region at a time)", async () => {
    const temp = tempDir("sluice-regions-logs-");
    writeFileSync(
      join(temp.dir, "sluice.config.ts"),
      `import { defineApp } from "sluice";\n` +
        `export default defineApp({ name: "two", regions: { primary: "eu-west-1", secondary: ["eu-central-1"] },\n` +
        `  functions: { api: { handler: "src/api.handler" } } });\n`,
    );
    mkdirSync(join(temp.dir, "src"));
    writeFileSync(join(temp.dir, "src", "api.ts"), "export const handler = async () => 1;\n");
    const lines: string[] = [];
    const output = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), color: false };
    try {
      assert.equal(await main(["logs", "api", temp.dir], output), 2);
      assert.match(lines.join("\n"), /--region/);
      assert.match(lines.join("\n"), /eu-west-1, eu-central-1/);
    } finally {
      temp.cleanup();
    }
  });
});
