import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildApp } from "../../src/bundle/build-app.ts";
import { type LoadedApp, loadApp } from "../../src/bundle/load-app.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type RegionApp, regionApp } from "../../src/local/cloud-host/region-app.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import { asyncInvokeSettings } from "../../src/model/async-invoke.ts";
import { queueUrl } from "../../src/model/naming.ts";
import { resourceVariables } from "../../src/model/resource-variables.ts";
import { ROOT } from "../support/aws-golden.ts";
import { deployTemplate } from "../support/cloud-deploy.ts";
import { tempDir } from "../support/temp.ts";

const REGION = "eu-west-1";
const ACCOUNT = "000000000000";
const ENDPOINT = "http://127.0.0.1:4599";

describe("a deployed stack as the app the region runs", () => {
  const tmp = tempDir("sluice-region-app-");
  let loaded: LoadedApp;
  let app: RegionApp;

  before(async () => {
    const dir = join(tmp.dir, "pipeline");
    cpSync(join(ROOT, "examples", "pipeline"), dir, {
      recursive: true,
      filter: (p) => !p.includes(".sluice"),
    });
    loaded = await loadApp(dir);
    const built = await buildApp(loaded);
    const clock = new ManualClock();
    const db = openStore(join(tmp.dir, "cloud.sqlite"));
    const s3 = new S3Store(db, clock);
    s3.createBucket("artifacts", REGION, ACCOUNT);
    const parameters: Record<string, string> = { ArtifactBucket: "artifacts" };
    for (const fn of Object.values(built.manifest.functions)) {
      const key = `pipeline/${fn.sha256}.zip`;
      s3.putObject("artifacts", key, readFileSync(join(built.outDir, fn.zip)));
      parameters[`${fn.function[0]?.toUpperCase()}${fn.function.slice(1)}CodeKey`] = key;
    }
    let version = 0;
    const providers = createProviders({
      s3,
      queues: { exists: () => false, delete: () => {} },
      codeDir: join(tmp.dir, "code"),
      allocatePort: async () => 4600,
      versions: { next: () => ++version },
    });
    const template = JSON.parse(readFileSync(join(ROOT, "test", "golden", "pipeline.template.json"), "utf8"));
    const records = await deployTemplate(template, parameters, providers, {
      stackName: "pipeline",
      region: REGION,
      accountId: ACCOUNT,
      endpointUrl: ENDPOINT,
    });
    app = regionApp(records, { region: REGION, accountId: ACCOUNT });
    db.close();
  });
  after(() => tmp.cleanup());

  test("has every queue of the definition under its physical name, with the same attributes", () => {
    const { spec } = loaded;
    const physical = (name: string) => spec.queues[name]?.queueName ?? name;
    const expected = Object.fromEntries(
      Object.values(spec.queues).map((q) => [
        q.queueName,
        {
          ...q,
          name: q.queueName,
          generated: false,
          ...(q.deadLetter ? { deadLetter: { ...q.deadLetter, queue: physical(q.deadLetter.queue) } } : {}),
        },
      ]),
    );
    assert.deepEqual(app.spec.queues, expected);
  });

  test("runs every function with the definition's settings, wiring and the template's discovery variables", () => {
    const { spec } = loaded;
    assert.deepEqual(
      Object.keys(app.spec.functions).sort(),
      Object.values(spec.functions)
        .map((f) => f.functionName)
        .sort(),
    );
    for (const fn of Object.values(spec.functions)) {
      const deployed = app.spec.functions[fn.functionName];
      assert.ok(deployed, fn.functionName);
      assert.equal(deployed.runtime, fn.runtime);
      assert.equal(deployed.memorySize, fn.memorySize);
      assert.equal(deployed.timeoutSeconds, fn.timeoutSeconds);
      assert.equal(deployed.reservedConcurrency, fn.reservedConcurrency);
      assert.deepEqual(deployed.routes, { kind: "none" });
      const consumes = fn.consumes && { ...fn.consumes, queue: spec.queues[fn.consumes.queue]?.queueName };
      assert.deepEqual(deployed.consumes, consumes);
      assert.deepEqual(deployed.async, asyncInvokeSettings(fn));
      // The template sets the same discovery variables `sluice dev` gives, with this endpoint's queue URLs.
      const here = { ...spec, region: REGION, accountId: ACCOUNT };
      assert.deepEqual(
        deployed.environment,
        resourceVariables(here, fn, (q) => queueUrl(ENDPOINT, here, q)),
      );
      const code = app.code.get(fn.functionName);
      assert.equal(code?.transport, "aws");
      assert.equal(code?.exportName, "handler");
      assert.ok(code && existsSync(code.file) && code.file.endsWith("index.mjs"));
    }
    assert.deepEqual(app.notes, []);
  });

  test("gives each function the statements of its deployed role as its permissions", () => {
    const ingest = app.spec.functions["pipeline-ingest"];
    const send = ingest?.permissions?.find((p) => p.actions.includes("sqs:SendMessage"));
    // ingest declares `routesTo: ["render"]`, so its role sends only to render's queue.
    assert.deepEqual(send?.resources, [`arn:aws:sqs:${REGION}:${ACCOUNT}:pipeline-renders.fifo`]);
  });
});
