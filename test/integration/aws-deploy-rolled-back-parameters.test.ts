/**
 * A stack whose first deploy failed (ROLLBACK_COMPLETE) is deleted and created anew by the next
 * deploy (deploy-stack.ts), so that deploy may keep none of its parameters: UsePreviousValue on a
 * create is refused ("Cannot specify usePreviousValue as true for a parameter key not in the
 * previous template"). An app with a health route has two such parameters (the health checkers'
 * secret and the forced-failure switch); so has a failover app's global stack.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT } from "../support/cli-process.ts";
import { type LocalCloud, run, startCloud, useLocalCredentials } from "../support/deploy.ts";
import { copyApp } from "../support/temp.ts";

useLocalCredentials();
const REGION = "us-east-1";

describe("deploy after a first deploy that rolled back", () => {
  let state: string;
  let cloud: LocalCloud;
  let app: { dir: string; cleanup(): void };
  before(async () => {
    state = mkdtempSync(join(tmpdir(), "sluice-cloud-"));
    cloud = await startCloud(state);
    app = copyApp(join(ROOT, "test", "fixtures", "apps", "api"));
  });
  after(async () => {
    await cloud?.stop();
    app?.cleanup();
    rmSync(state, { recursive: true, force: true });
  });
  const at = (...args: string[]) => [...args, "--endpoint-url", cloud.url];

  test("creates the stack anew with fresh parameter values, keeping none of the rolled-back stack's", async () => {
    assert.equal((await run(at("bootstrap", "--region", REGION))).code, 0);
    const decorators = join(app.dir, "sluice.decorators.ts");
    writeFileSync(
      decorators,
      'import { defineDecorators } from "sluice/aws";\nexport default defineDecorators({ app: ({ template }) => { template.addResource("BrokenQueue", { Type: "AWS::SQS::Queue", Properties: { DelaySeconds: 5000 } }); } });\n',
    );
    const failed = await run(at("deploy", app.dir, "--region", REGION, "--yes"));
    assert.equal(failed.code, 1, failed.stdout);
    assert.match(failed.stderr, /deploy failed; the stack is now ROLLBACK_COMPLETE/);
    rmSync(decorators);
    const fixed = await run(at("deploy", app.dir, "--region", REGION, "--yes"));
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stdout, /deleting api-fixture-dev so that this deploy can create it again/);
    assert.match(fixed.stdout, /api-fixture-dev \(us-east-1\): deployed \(CREATE_COMPLETE\)/);
  });
});
