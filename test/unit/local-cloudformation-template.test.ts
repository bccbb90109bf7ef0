import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { prepareTemplate, scopeOf } from "../../src/local/cloudformation/template/evaluate-template.ts";
import { isUnresolved, resolveValue } from "../../src/local/cloudformation/template/intrinsics.ts";
import { resolveParameters } from "../../src/local/cloudformation/template/parameters.ts";
import type { PseudoParameters } from "../../src/local/cloudformation/template/scope.ts";
import { type ParsedTemplate, parseTemplate } from "../../src/local/cloudformation/template/template.ts";

const PSEUDO: PseudoParameters = {
  region: "eu-west-1",
  accountId: "123456789012",
  partition: "aws",
  stackName: "app",
  stackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/app/1",
  urlSuffix: "amazonaws.com",
};

/** Fn::Sub text written with `#{…}` so the linter does not read it as a JS template. */
function cfn(text: string): string {
  return text.replaceAll("#{", "${");
}

function template(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): ParsedTemplate {
  return parseTemplate(JSON.stringify({ Resources: resources, ...extra }));
}

/** Resolves `value` in a template with resources A and B made (physical ids A-id, B-id). */
function resolve(
  value: unknown,
  extra: Record<string, unknown> = {},
  parameters: Record<string, string | string[]> = {},
) {
  const t = template(
    { A: { Type: "T" }, B: { Type: "T" }, Probe: { Type: "T", Properties: { V: value } } },
    extra,
  );
  const prepared = prepareTemplate(t, parameters, PSEUDO);
  const made = { A: { physicalId: "A-id", attributes: { Arn: "arn:a", Url: "https://a" } } } as Record<
    string,
    { physicalId: string; attributes: Record<string, unknown> }
  >;
  return resolveValue(
    value,
    scopeOf(prepared, (id) => made[id]),
  );
}

describe("template intrinsic functions", () => {
  test("Ref returns parameters, pseudo parameters and physical ids", () => {
    assert.equal(resolve({ Ref: "A" }), "A-id");
    assert.equal(resolve({ Ref: "P" }, { Parameters: { P: { Type: "String" } } }, { P: "v" }), "v");
    assert.deepEqual(
      [
        "AWS::Region",
        "AWS::AccountId",
        "AWS::Partition",
        "AWS::StackName",
        "AWS::StackId",
        "AWS::URLSuffix",
      ].map((r) => resolve({ Ref: r })),
      ["eu-west-1", "123456789012", "aws", "app", PSEUDO.stackId, "amazonaws.com"],
    );
  });

  test("AWS::NoValue removes the property or list member", () => {
    assert.deepEqual(resolve({ X: { Ref: "AWS::NoValue" }, Y: [1, { Ref: "AWS::NoValue" }, 2] }), {
      Y: [1, 2],
    });
  });

  test("Fn::GetAtt reads attributes in both the list and the dotted form", () => {
    assert.equal(resolve({ "Fn::GetAtt": ["A", "Arn"] }), "arn:a");
    assert.equal(resolve({ "Fn::GetAtt": "A.Url" }), "https://a");
    assert.throws(() => resolve({ "Fn::GetAtt": ["A", "Nope"] }), /does not support attribute type Nope/);
    assert.throws(() => resolve({ "Fn::GetAtt": ["Z", "Arn"] }), /references undefined resource Z/);
  });

  test("a value that depends on a resource not made yet is unresolved", () => {
    assert.ok(isUnresolved(resolve({ Ref: "B" })));
    assert.ok(isUnresolved(resolve({ "Fn::Join": ["-", [{ Ref: "B" }, "x"]] })));
    assert.ok(isUnresolved(resolve({ "Fn::Sub": cfn("#{B.Arn}/x") })));
    assert.ok(isUnresolved(resolve({ K: [{ "Fn::GetAtt": ["B", "Arn"] }] })));
  });

  test("Fn::Sub replaces names, attributes and variables and keeps the !Literal escape", () => {
    assert.equal(
      resolve(
        { "Fn::Sub": cfn("#{AWS::Region}:#{A}:#{A.Arn}:#{!Literal}:#{P}") },
        { Parameters: { P: { Type: "String" } } },
        { P: "p" },
      ),
      cfn("eu-west-1:A-id:arn:a:#{Literal}:p"),
    );
    assert.equal(resolve({ "Fn::Sub": [cfn("#{X}-#{Y}"), { X: { Ref: "A" }, Y: "lit" }] }), "A-id-lit");
  });

  test("Fn::Join, Fn::Select, Fn::Split, Fn::Base64, Fn::GetAZs and Fn::FindInMap", () => {
    assert.equal(resolve({ "Fn::Join": [",", ["a", { Ref: "A" }]] }), "a,A-id");
    assert.equal(resolve({ "Fn::Select": ["1", ["a", "b"]] }), "b");
    assert.throws(() => resolve({ "Fn::Select": [5, ["a"]] }), /nonexistent value at index 5/);
    assert.deepEqual(resolve({ "Fn::Split": ["|", "a|b"] }), ["a", "b"]);
    assert.equal(resolve({ "Fn::Base64": "hi" }), "aGk=");
    assert.deepEqual(resolve({ "Fn::GetAZs": "" }), ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    assert.equal(
      resolve(
        { "Fn::FindInMap": ["M", { Ref: "AWS::Region" }, "Size"] },
        { Mappings: { M: { "eu-west-1": { Size: 3 } } } },
      ),
      3,
    );
  });

  test("Fn::ImportValue is refused with a clear error", () => {
    assert.throws(() => resolve({ "Fn::ImportValue": "x" }), /does not keep stack exports/);
  });

  test("conditions decide Fn::If branches and which resources exist", () => {
    const t = template(
      {
        Always: { Type: "T", Properties: { V: { "Fn::If": ["IsProd", "big", "small"] } } },
        OnlyProd: { Type: "T", Condition: "IsProd" },
        NotProd: { Type: "T", Condition: "Other" },
      },
      {
        Parameters: { Stage: { Type: "String", AllowedValues: ["prod", "dev"] } },
        Conditions: {
          IsProd: { "Fn::Equals": [{ Ref: "Stage" }, "prod"] },
          Other: { "Fn::Not": [{ Condition: "IsProd" }] },
          Both: {
            "Fn::And": [
              { Condition: "IsProd" },
              { "Fn::Or": [{ Condition: "Other" }, { "Fn::Equals": ["a", "a"] }] },
            ],
          },
        },
      },
    );
    const prod = prepareTemplate(t, { Stage: "prod" }, PSEUDO);
    assert.deepEqual(prod.conditions, { IsProd: true, Other: false, Both: true });
    assert.deepEqual(Object.keys(prod.resources), ["Always", "OnlyProd"]);
    assert.deepEqual(
      resolveValue(
        t.Resources.Always?.Properties,
        scopeOf(prod, () => undefined),
      ),
      { V: "big" },
    );
    const dev = prepareTemplate(t, { Stage: "dev" }, PSEUDO);
    assert.deepEqual(Object.keys(dev.resources), ["Always", "NotProd"]);
  });
});

describe("template structure", () => {
  test("orders resources by Ref, GetAtt, Sub and DependsOn", () => {
    const t = template({
      D: { Type: "T", Properties: { V: { "Fn::Sub": cfn("#{C.Arn}") } } },
      C: { Type: "T", DependsOn: ["B"] },
      B: { Type: "T", Properties: { V: { "Fn::GetAtt": ["A", "Arn"] } } },
      A: { Type: "T", Properties: { V: { Ref: "AWS::Region" } } },
    });
    assert.deepEqual(prepareTemplate(t, {}, PSEUDO).order, ["A", "B", "C", "D"]);
  });

  test("a cycle is AWS's circular dependency error naming the resources on it", () => {
    const t = template({
      A: { Type: "T", Properties: { V: { Ref: "B" } } },
      B: { Type: "T", DependsOn: "A" },
      C: { Type: "T", DependsOn: "A" },
    });
    assert.throws(() => prepareTemplate(t, {}, PSEUDO), {
      code: "ValidationError",
      message: "Circular dependency between resources: [A, B]",
    });
  });

  test("a Ref to nothing is AWS's unresolved dependencies error", () => {
    const t = template({ A: { Type: "T", Properties: { V: { Ref: "Missing" } } } });
    assert.throws(() => prepareTemplate(t, {}, PSEUDO), {
      message:
        "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template",
    });
  });

  test("rejects YAML, unknown sections and templates without resources", () => {
    assert.throws(() => parseTemplate("Resources:\n  A:\n    Type: T\n"), /reads JSON templates only/);
    assert.throws(
      () => parseTemplate(JSON.stringify({ Resources: { A: { Type: "T" } }, Extra: 1 })),
      /Invalid template property or properties \[Extra\]/,
    );
    assert.throws(
      () => parseTemplate(JSON.stringify({ Resources: {} })),
      /At least one Resources member must be defined/,
    );
  });

  test("every golden template Sluice synthesises prepares and orders", () => {
    const dir = new URL("../golden/", import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith(".template.json"));
    assert.ok(files.length >= 5);
    for (const file of files) {
      const t = parseTemplate(readFileSync(new URL(file, dir), "utf8"));
      const parameters = Object.fromEntries(
        Object.entries(t.Parameters ?? {}).map(([k, p]) => [
          k,
          p.Type.startsWith("List<") ? ["subnet-1"] : "value",
        ]),
      );
      const prepared = prepareTemplate(t, parameters, PSEUDO);
      assert.equal(prepared.order.length, Object.keys(t.Resources).length, file);
      const made = new Set<string>();
      for (const id of prepared.order) {
        for (const dep of prepared.dependencies.get(id) ?? [])
          assert.ok(made.has(dep), `${file}: ${id} before ${dep}`);
        made.add(id);
      }
    }
  });
});

describe("template parameters", () => {
  const declared = {
    Name: { Type: "String", MinLength: 2, MaxLength: 4, AllowedPattern: "[a-z]+" },
    Size: { Type: "Number", MinValue: 1, MaxValue: 10, Default: 5 },
    List: { Type: "CommaDelimitedList", Default: "a,b" },
    Nums: { Type: "List<Number>", Default: "1, 2" },
    Secret: { Type: "String", NoEcho: true, Default: "s" },
    Stage: { Type: "String", AllowedValues: ["dev", "prod"], Default: "dev" },
  };

  test("applies defaults, types lists and marks NoEcho parameters", () => {
    const r = resolveParameters(declared, [{ key: "Name", value: "abc" }], undefined);
    assert.deepEqual(r.values, {
      Name: "abc",
      Size: "5",
      List: ["a", "b"],
      Nums: ["1", "2"],
      Secret: "s",
      Stage: "dev",
    });
    assert.deepEqual(r.raw.List, "a,b");
    assert.deepEqual(r.noEcho, ["Secret"]);
  });

  test("a parameter without value or default is AWS's must-have-values error", () => {
    assert.throws(() => resolveParameters(declared, [], undefined), {
      message: "Parameters: [Name] must have values",
    });
  });

  test("UsePreviousValue takes the stack's earlier value", () => {
    const r = resolveParameters(declared, [{ key: "Name", usePreviousValue: true }], { Name: "old" });
    assert.equal(r.raw.Name, "old");
  });

  test("checks length, pattern, number range, allowed values and unknown keys", () => {
    const bad = (key: string, value: string) => () =>
      resolveParameters(
        declared,
        key === "Name"
          ? [{ key, value }]
          : [
              { key: "Name", value: "abc" },
              { key, value },
            ],
        undefined,
      );
    assert.throws(bad("Name", "a"), /must contain at least 2 characters/);
    assert.throws(bad("Name", "abcde"), /must contain at most 4 characters/);
    assert.throws(bad("Name", "AB"), /must match pattern \[a-z\]\+/);
    assert.throws(bad("Size", "x"), /must be a number/);
    assert.throws(bad("Size", "11"), /must be a number not greater than 10/);
    assert.throws(bad("Stage", "qa"), /must be one of AllowedValues/);
    assert.throws(bad("Nope", "1"), { message: "Parameters: [Nope] do not exist in the template" });
  });
});
