/**
 * Deploys of stacks of their own against `sluice cloud` through the real CLI, apart from the
 * pipeline example's stack (aws-deploy-local.test.ts): a first deploy that fails and leaves
 * ROLLBACK_COMPLETE, and a template too large to send inline. Apart so that neither file comes
 * near the test timeout, which covers a whole file, on a busy machine.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  HEALTH_CHECKER_ID,
  run,
  SECRET_ACCESS_KEY,
  transcript,
  useCloudWithExample,
  useLocalCredentials,
} from "../support/deploy.ts";

useLocalCredentials();
const REGION = "us-east-1";

describe("deploying stacks of their own to the local cloud through the real CLI", () => {
  const cloud = useCloudWithExample(REGION);
  const { at } = cloud;

  test("bootstrap creates the region's artifact bucket", async () => {
    const result = await run(at("bootstrap", "--region", REGION));
    assert.equal(result.code, 0, result.stderr);
  });

  test("a first deploy that fails leaves ROLLBACK_COMPLETE; without a terminal the next deploy prints the command that deletes it, with --yes it deletes it and deploys", async () => {
    const decorators = join(cloud.dir, "sluice.decorators.ts");
    writeFileSync(
      decorators,
      'import { defineDecorators } from "sluice/aws";\nexport default defineDecorators({ app: ({ template }) => { template.addResource("BrokenQueue", { Type: "AWS::SQS::Queue", Properties: { DelaySeconds: 5000 } }); } });\n',
    );
    try {
      const failed = await run(at("deploy", cloud.dir, "--region", REGION, "--stage", "broken"));
      assert.equal(failed.code, 1);
      assert.match(
        failed.stderr,
        /pipeline-broken \(us-east-1\): deploy failed; the stack is now ROLLBACK_COMPLETE/,
      );
      assert.match(failed.stderr, /BrokenQueue AWS::SQS::Queue: CREATE_FAILED/);
      const again = await run(at("deploy", cloud.dir, "--region", REGION, "--stage", "broken"));
      assert.equal(again.code, 1);
      assert.match(again.stdout, /pipeline-broken: ROLLBACK_COMPLETE.*holds no resources/);
      assert.match(
        again.stderr,
        /is in ROLLBACK_COMPLETE.*no terminal.*Run the deploy again with --yes to delete it and deploy, or delete it with: aws cloudformation delete-stack --stack-name pipeline-broken --region us-east-1 --endpoint-url http:\/\/127\.0\.0\.1:\d+/,
      );
      const cfn = new CloudFormationClient({ region: REGION, endpoint: cloud.url });
      try {
        const left = await cfn.send(new DescribeStacksCommand({ StackName: "pipeline-broken" }));
        assert.equal(
          left.Stacks?.[0]?.StackStatus,
          "ROLLBACK_COMPLETE",
          "refused: the stack is left as it was",
        );
      } finally {
        cfn.destroy();
      }
      const status = await run(at("status", cloud.dir, "--region", REGION, "--stage", "broken", "--json"));
      const [report] = JSON.parse(status.stdout) as { stacks: { status: string }[] }[];
      assert.equal(report?.stacks[0]?.status, "ROLLBACK_COMPLETE", status.stdout);
    } finally {
      rmSync(decorators);
    }
    const fixed = await run(at("deploy", cloud.dir, "--region", REGION, "--stage", "broken", "--yes"));
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stdout, /deleting pipeline-broken so that this deploy can create it again/);
    assert.match(fixed.stdout, /pipeline-broken \(us-east-1\): deployed \(CREATE_COMPLETE\)/);
    const destroyed = await run(at("destroy", cloud.dir, "--region", REGION, "--stage", "broken", "--yes"));
    assert.equal(destroyed.code, 0, destroyed.stderr);
    assert.match(destroyed.stdout, /pipeline-broken \(us-east-1\): DELETE_COMPLETE/);
  });

  test("a template over 51,200 bytes goes through the artifact bucket as TemplateURL", async (t) => {
    const big = mkdtempSync(join(tmpdir(), "sluice-big-"));
    t.after(() => rmSync(big, { recursive: true, force: true }));
    mkdirSync(join(big, "src"));
    writeFileSync(join(big, "src", "worker.ts"), "export const handler = async () => ({ ok: true });\n");
    writeFileSync(
      join(big, "sluice.config.ts"),
      'import { defineApp } from "sluice";\nexport default defineApp({ name: "big", functions: { worker: { handler: "src/worker.handler" } } });\n',
    );
    // Template metadata a decorator adds (CloudFormation keeps it, nothing runs it) pushes it over the limit.
    writeFileSync(
      join(big, "sluice.decorators.ts"),
      'import { defineDecorators } from "sluice/aws";\nexport default defineDecorators({ app: ({ template }) => { template.template.Metadata = { Notes: "n".repeat(60_000) }; } });\n',
    );
    const result = await run(at("deploy", big, "--region", REGION, "--stage", "large"));
    assert.equal(result.code, 0, result.stderr);
    const bytes = Number(/template: (\d+) bytes as TemplateURL/.exec(result.stdout)?.[1]);
    assert.ok(bytes > 51_200, result.stdout);
    assert.match(result.stdout, /big-large \(us-east-1\): deployed \(CREATE_COMPLETE\)/);
    const destroyed = await run(at("destroy", big, "--region", REGION, "--stage", "large", "--yes"));
    assert.equal(destroyed.code, 0, destroyed.stderr);
  });

  test("no output printed the secret access key or the health checker ID", () => {
    const all = transcript.join("\n");
    assert.ok(all.length > 1000, "the transcript holds the runs above");
    assert.equal(all.includes(SECRET_ACCESS_KEY), false);
    assert.equal(all.includes(HEALTH_CHECKER_ID), false);
  });
});
