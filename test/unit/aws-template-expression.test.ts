import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { templateExpression } from "../../src/aws/template/expression.ts";
import type { SluiceError } from "../../src/model/errors.ts";

describe("templateExpression", () => {
  test("joins text, build-time values and deploy-time references into one Fn::Join", () => {
    const text =
      "#!/bin/bash\naws s3 cp s3://{{Ref:ArtifactBucket}}/{{ key }} /opt/{{app}}/app.zip\nQUEUE={{GetAtt:JobsQueue.QueueUrl}}\n";
    assert.deepEqual(templateExpression(text, { app: "mixed", key: { Ref: "ResizeCodeKey" } }), {
      "Fn::Join": [
        "",
        [
          "#!/bin/bash\naws s3 cp s3://",
          { Ref: "ArtifactBucket" },
          "/",
          { Ref: "ResizeCodeKey" },
          " /opt/mixed/app.zip\nQUEUE=",
          { "Fn::GetAtt": ["JobsQueue", "QueueUrl"] },
          "\n",
        ],
      ],
    });
  });

  test("is a plain string when nothing is resolved at deploy time, and keeps escaped braces", () => {
    assert.equal(templateExpression("echo {{name}} \\{{literal}}", { name: "x" }), "echo x {{literal}}");
    assert.equal(templateExpression(""), "");
  });

  test("can write one Fn::Sub, escaping the text's own variable references", () => {
    assert.deepEqual(
      templateExpression(
        `echo \${HOME} {{Ref:AWS::Region}} {{GetAtt:Q.Arn}} {{v}}`,
        { v: { "Fn::ImportValue": "shared" } },
        { format: "sub" },
      ),
      {
        "Fn::Sub": [
          `echo \${!HOME} \${AWS::Region} \${Q.Arn} \${Value1}`,
          { Value1: { "Fn::ImportValue": "shared" } },
        ],
      },
    );
    assert.deepEqual(templateExpression("a {{Ref:B}}", {}, { format: "sub" }), { "Fn::Sub": `a \${B}` });
  });

  test("names every placeholder that has no value", () => {
    assert.throws(
      () => templateExpression("{{a}} {{b}} {{Ref:C}}", { a: "1" }),
      (error: SluiceError) => {
        assert.equal(error.code, "SLUICE_TEMPLATE_EXPRESSION");
        assert.match(error.message, /uses \{\{b\}\} but no value was given for it; known values: a/);
        return true;
      },
    );
  });
});
