import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SluiceError } from "../../src/model/errors.ts";
import {
  functionArn,
  generatedDeadLetterName,
  logGroupName,
  partition,
  physicalFunctionName,
  physicalQueueName,
  queueArn,
  queueUrl,
  stackName,
} from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const spec = normaliseApp(
  {
    name: "pipeline",
    queues: { pages: {}, renders: { fifo: true } },
    functions: { render: { handler: "src/render.handler" } },
  },
  { region: "eu-west-2", accountId: "123456789012" },
);

describe("naming", () => {
  test("builds physical names from the app name and the definition name", () => {
    assert.equal(physicalFunctionName("pipeline", "render"), "pipeline-render");
    assert.equal(physicalQueueName("pipeline", "pages", false), "pipeline-pages");
    assert.equal(physicalQueueName("pipeline", "renders", true), "pipeline-renders.fifo");
    assert.equal(generatedDeadLetterName("pages"), "pages-dlq");
    assert.equal(stackName(spec), "pipeline");
  });

  test("builds ARNs in the app's region and account, from a spec or a definition name", () => {
    const render = spec.functions.render;
    assert.ok(render);
    assert.equal(functionArn(spec, render), "arn:aws:lambda:eu-west-2:123456789012:function:pipeline-render");
    assert.equal(
      functionArn(spec, "render"),
      "arn:aws:lambda:eu-west-2:123456789012:function:pipeline-render",
    );
    assert.equal(queueArn(spec, "renders"), "arn:aws:sqs:eu-west-2:123456789012:pipeline-renders.fifo");
  });

  test("uses the partition of China and GovCloud regions in ARNs", () => {
    assert.equal(partition("cn-north-1"), "aws-cn");
    assert.equal(partition("us-gov-west-1"), "aws-us-gov");
    assert.equal(partition("us-east-1"), "aws");
    const cn = normaliseApp({
      name: "a",
      region: "cn-north-1",
      functions: { f: { handler: "src/f.handler" } },
    });
    assert.equal(functionArn(cn, "f"), "arn:aws-cn:lambda:cn-north-1:000000000000:function:a-f");
  });

  test("builds queue URLs as base URL, account ID and physical queue name", () => {
    const pages = spec.queues.pages;
    assert.ok(pages);
    assert.equal(
      queueUrl("http://127.0.0.1:4566", spec, pages),
      "http://127.0.0.1:4566/123456789012/pipeline-pages",
    );
    assert.equal(
      queueUrl("https://sqs.eu-west-2.amazonaws.com/", spec, "renders"),
      "https://sqs.eu-west-2.amazonaws.com/123456789012/pipeline-renders.fifo",
    );
  });

  test("names a function's log group as Lambda does", () => {
    const render = spec.functions.render;
    assert.ok(render);
    assert.equal(logGroupName(render), "/aws/lambda/pipeline-render");
  });

  test("rejects a definition name the spec does not have, listing the known ones", () => {
    assert.throws(
      () => functionArn(spec, "rendr"),
      (error: unknown) =>
        error instanceof SluiceError &&
        error.code === "SLUICE_UNKNOWN_FUNCTION" &&
        error.message.includes('"render"'),
    );
    assert.throws(
      () => queueUrl("http://x", spec, "nope"),
      (error: unknown) =>
        error instanceof SluiceError &&
        error.code === "SLUICE_UNKNOWN_QUEUE" &&
        error.message.includes('"pages"'),
    );
  });
});
