import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { toYaml } from "../../src/aws/template/yaml.ts";
import { goldenApps, goldenFile } from "../support/aws-golden.ts";

describe("YAML templates", () => {
  for (const app of goldenApps()) {
    test(`${app.name}'s template reads back from YAML as the same value as from JSON`, () => {
      const template = JSON.parse(readFileSync(goldenFile(app), "utf8"));
      assert.deepEqual(parse(toYaml(template)), template);
    });
  }

  test("quotes strings YAML would read as something else", () => {
    const value = {
      a: [
        "yes",
        "no",
        "on",
        "null",
        "~",
        "1.5",
        "0x1f",
        "2026-01-01",
        "-x",
        "",
        " x",
        "x ",
        "a: b",
        "# c",
        "{x}",
        "[y]",
      ],
      b: { "key with space": 'multi\nline\ttext "quoted" \\ back', $default: "GET /items/{id}" },
      c: [[], {}, [1, [2, { d: true }]], null, 0, -3, 1e21],
      "Fn::Join": ["", ["x", { Ref: "Y" }]],
    };
    assert.deepEqual(parse(toYaml(value)), value);
  });
});
