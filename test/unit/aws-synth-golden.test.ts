import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, test } from "node:test";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import { goldenApps, goldenFile, synthCopy } from "../support/aws-golden.ts";
import { validateTemplate } from "../support/aws-schema.ts";

const UPDATE = process.env.SLUICE_UPDATE_GOLDEN === "1";

describe("golden templates", () => {
  for (const app of goldenApps()) {
    test(`the template of ${app.name} matches test/golden/${app.name}.template.json`, async () => {
      const template = await synthCopy(app);
      const text = `${JSON.stringify(template, null, 2)}\n`;
      const file = goldenFile(app);
      if (UPDATE) writeFileSync(file, text);
      assert.ok(
        existsSync(file),
        `${file} is missing: run \`npm run golden\` to write it, review it, and commit it`,
      );
      assert.equal(
        text,
        readFileSync(file, "utf8"),
        `the template of ${app.name} changed: if that is intended, run \`npm run golden\` and commit the new golden file`,
      );
    });

    test(`every resource of ${app.name}'s template is valid against AWS's resource schemas`, async () => {
      const template = JSON.parse(readFileSync(goldenFile(app), "utf8"));
      assert.deepEqual(await validateTemplate(template), []);
    });

    test(`${app.name}'s template allows no wildcard action and no needless wildcard resource`, () => {
      const template = JSON.parse(readFileSync(goldenFile(app), "utf8"));
      assert.deepEqual(checkTemplatePolicies(template), []);
    });
  }
});
