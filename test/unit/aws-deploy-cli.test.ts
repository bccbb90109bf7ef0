import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseSince } from "../../src/aws/deploy/logs.ts";
import { confirmer, environmentSecrets, redactingOutput } from "../../src/cli/aws-options.ts";
import { main } from "../../src/cli/main.ts";

function capture() {
  const lines: string[] = [];
  return {
    lines,
    text: () => lines.join("\n"),
    output: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), color: false },
  };
}

const queueAtStake = {
  logicalId: "OrdersQueue",
  type: "AWS::SQS::Queue",
  physicalId: "https://sqs.us-east-1.amazonaws.com/1/shop-dev-orders",
  what: "the messages waiting in the queue",
  depth: { visible: 5, inFlight: 2, delayed: 1 },
};

describe("logs --since", () => {
  test("accepts seconds, minutes, hours and days", () => {
    assert.equal(parseSince("30s"), 30_000);
    assert.equal(parseSince("10m"), 600_000);
    assert.equal(parseSince("2h"), 7_200_000);
    assert.equal(parseSince("7d"), 604_800_000);
  });

  test("rejects anything else, saying what it takes", () => {
    for (const bad of ["10", "m", "1.5h", "10w", "-1m"]) assert.throws(() => parseSince(bad), /s, m, h or d/);
  });
});

describe("confirmation before deleting data", () => {
  test("--yes goes on, after saying what is at stake with the queue's message counts", async () => {
    const c = capture();
    const ok = await confirmer(
      c.output,
      true,
      false,
    )({ region: "us-east-1", stackName: "shop-dev", atStake: [queueAtStake], action: "deploy" });
    assert.equal(ok, true);
    assert.match(
      c.text(),
      /OrdersQueue AWS::SQS::Queue .* loses the messages waiting in the queue: 8 message\(s\) \(5 waiting, 2 in flight, 1 delayed\)/,
    );
  });

  test("without a terminal and without --yes it refuses and says to pass --yes", async () => {
    const c = capture();
    await assert.rejects(
      confirmer(
        c.output,
        false,
        false,
      )({ region: "us-east-1", stackName: "shop-dev", atStake: [queueAtStake], action: "destroy" }),
      /no terminal to confirm on; run it again with --yes/,
    );
  });
});

describe("secrets never reach the output", () => {
  test("the output masks every secret it is given", () => {
    const c = capture();
    const secrets = new Set(["s3cr3t-value"]);
    const out = redactingOutput(c.output, secrets);
    out.out("value=s3cr3t-value;");
    secrets.add("later-secret");
    out.err('{"x":"later-secret"}');
    assert.deepEqual(c.lines, ["value=****;", '{"x":"****"}']);
  });

  test("environment credentials count as secrets; short or absent values do not", () => {
    assert.deepEqual(
      environmentSecrets({
        AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG",
        AWS_SESSION_TOKEN: "x",
        AWS_ACCESS_KEY_ID: "AKID",
      }),
      ["wJalrXUtnFEMI/K7MDENG"],
    );
  });

  test("deploy --json prints neither the health checker ID nor the secret key, even when it fails", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-deploy-cli-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(import.meta.dirname, "..", "..", "examples", "pipeline"), dir, {
      recursive: true,
      filter: (path) => !path.includes(".sluice"),
    });
    const saved = { ...process.env };
    t.after(() => {
      process.env = saved;
    });
    process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
    process.env.AWS_SECRET_ACCESS_KEY = "secret-key-that-must-not-print";
    process.env.AWS_MAX_ATTEMPTS = "1";
    const c = capture();
    const code = await main(
      [
        "deploy",
        dir,
        "--json",
        "--health-checker-id",
        "health-secret-must-not-print",
        "--endpoint-url",
        "http://127.0.0.1:9",
      ],
      c.output,
    );
    assert.equal(code, 1);
    assert.match(c.text(), /"error"/);
    assert.doesNotMatch(c.text(), /secret-key-that-must-not-print|health-secret-must-not-print/);
  });
});

describe("usage errors exit 2", () => {
  for (const [args, message] of [
    [["deploy", "--stage", "prod-g2"], /switchover generations/],
    [["deploy", "--strategy", "blue-green"], /--strategy takes in-place or switchover/],
    [["deploy", "--endpoint-url", "localhost"], /--endpoint-url takes an http\(s\) URL/],
    [["bootstrap"], /--region is required/],
    [["bootstrap", "--region", "mars-1"], /not an AWS Region code/],
    [["logs"], /name the function/],
    [["logs", "fn", "--since", "5x"], /s, m, h or d/],
  ] as const) {
    test(`sluice ${args.join(" ")}`, async () => {
      const c = capture();
      assert.equal(await main([...args], c.output), 2);
      assert.match(c.text(), message);
    });
  }
});
