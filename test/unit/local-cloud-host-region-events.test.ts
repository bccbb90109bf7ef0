import assert from "node:assert/strict";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { zipSync } from "fflate";
import { loadApp } from "../../src/bundle/load-app.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { regionApp } from "../../src/local/cloud-host/region-app.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { asyncInvokeSettings } from "../../src/model/async-invoke.ts";
import { ROOT } from "../support/aws-golden.ts";
import { deployTemplate } from "../support/cloud-deploy.ts";
import { tempDir } from "../support/temp.ts";

const REGION = "eu-west-1";
const ACCOUNT = "000000000000";

/** The app's definition and what its golden template runs as once deployed. */
async function deployed(name: string) {
  const tmp = tempDir(`sluice-${name}-`);
  after(() => tmp.cleanup());
  const dir = join(tmp.dir, name);
  cpSync(join(ROOT, "test", "fixtures", "apps", name), dir, { recursive: true });
  const { spec } = await loadApp(dir);
  const template = JSON.parse(readFileSync(join(ROOT, "test", "golden", `${name}.template.json`), "utf8"));
  const db = openStore(join(tmp.dir, "account.sqlite"));
  after(() => db.close());
  const s3 = new S3Store(db, new ManualClock());
  s3.createBucket("artifacts", REGION, ACCOUNT);
  s3.putObject(
    "artifacts",
    "code.zip",
    Buffer.from(zipSync({ "index.mjs": new TextEncoder().encode("export const handler = () => null;") })),
  );
  const parameters: Record<string, string> = {};
  for (const [key, declaration] of Object.entries(template.Parameters ?? {}) as [
    string,
    { Default?: string },
  ][]) {
    parameters[key] =
      key === "ArtifactBucket"
        ? "artifacts"
        : key.endsWith("CodeKey")
          ? "code.zip"
          : (declaration.Default ?? "x");
  }
  let version = 0;
  const providers = createProviders({
    s3,
    queues: { exists: () => false, delete: () => {} },
    codeDir: join(tmp.dir, "code"),
    allocatePort: async () => 4700,
    versions: { next: () => ++version },
  });
  const records = await deployTemplate(template, parameters, providers, {
    stackName: name,
    region: REGION,
    accountId: ACCOUNT,
    endpointUrl: "http://127.0.0.1:4599",
  });
  return { spec, app: regionApp(records, { region: REGION, accountId: ACCOUNT }) };
}

/** A definition name as the deployed app names it: the physical name. */
function physical(spec: AppSpec, kind: "function" | "queue" | "bus", name: string): string {
  if (kind === "function") return spec.functions[name]?.functionName ?? name;
  if (kind === "queue") return spec.queues[name]?.queueName ?? name;
  return name === "default" ? name : (spec.events?.buses[name]?.eventBusName ?? name);
}

function anyPhysical(spec: AppSpec, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (spec.functions[name]) return physical(spec, "function", name);
  if (spec.queues[name]) return physical(spec, "queue", name);
  return physical(spec, "bus", name);
}

describe("deployed EventBridge, Scheduler, async and provisioned concurrency as the region runs them", () => {
  test("buses and rules: the definition's patterns, targets, inputs, retry policies and dead-letter queues", async () => {
    const { spec, app } = await deployed("events");
    assert.deepEqual(
      Object.values(app.spec.events?.buses ?? {}).map((b) => [b.name, b.eventBusName, b.description]),
      Object.values(spec.events?.buses ?? {}).map((b) => [b.eventBusName, b.eventBusName, b.description]),
    );
    const rules = Object.values(spec.events?.rules ?? {});
    assert.ok(rules.length > 0);
    for (const rule of rules) {
      const bus = physical(spec, "bus", rule.bus);
      const key = bus === "default" ? rule.ruleName : `${bus}/${rule.ruleName}`;
      const deployedRule = app.spec.events?.rules[key];
      assert.ok(deployedRule, key);
      assert.equal(deployedRule.bus, bus);
      assert.deepEqual(deployedRule.pattern, rule.pattern);
      assert.deepEqual(
        deployedRule.targets,
        rule.targets.map((t) => ({
          ...t,
          name: physical(spec, t.kind, t.name),
          ...(t.deadLetterQueue ? { deadLetterQueue: physical(spec, "queue", t.deadLetterQueue) } : {}),
        })),
      );
    }
    assert.deepEqual(app.notes, []);
  });

  test("asynchronous invocation: retries, event age, destinations and the dead-letter queue", async () => {
    const { spec, app } = await deployed("async-golden");
    for (const fn of Object.values(spec.functions)) {
      const settings = asyncInvokeSettings(fn);
      const expected = {
        maximumRetryAttempts: settings.maximumRetryAttempts,
        maximumEventAgeSeconds: settings.maximumEventAgeSeconds,
        ...(settings.onSuccess ? { onSuccess: anyPhysical(spec, settings.onSuccess) } : {}),
        ...(settings.onFailure ? { onFailure: anyPhysical(spec, settings.onFailure) } : {}),
        ...(settings.deadLetterQueue
          ? { deadLetterQueue: physical(spec, "queue", settings.deadLetterQueue) }
          : {}),
      };
      assert.deepEqual(app.spec.functions[fn.functionName]?.async, expected, fn.name);
    }
  });

  test("schedules, provisioned concurrency, and the HTTP route on the alias", async () => {
    const { spec, app } = await deployed("schedules-golden");
    for (const schedule of Object.values(spec.schedules ?? {})) {
      const deployedSchedule = app.spec.schedules?.[schedule.scheduleName];
      assert.ok(deployedSchedule, schedule.scheduleName);
      assert.equal(deployedSchedule.expression, schedule.expression);
      assert.equal(deployedSchedule.timezone, schedule.timezone);
      assert.equal(deployedSchedule.enabled, schedule.enabled);
      assert.equal(deployedSchedule.target.kind, schedule.target.kind);
      assert.equal(deployedSchedule.target.name, physical(spec, schedule.target.kind, schedule.target.name));
      assert.equal(deployedSchedule.target.input, schedule.target.input ?? "{}");
    }
    for (const fn of Object.values(spec.functions)) {
      assert.deepEqual(
        app.spec.functions[fn.functionName]?.provisionedConcurrency,
        fn.provisionedConcurrency,
        fn.name,
      );
    }
    const [api] = app.apis;
    assert.equal(api?.kind, "http");
    assert.equal(api?.port, 4700);
    assert.deepEqual(
      api?.spec.http?.routes.map((r) => [r.routeKey, r.function]),
      spec.http?.routes.map((r) => [r.routeKey, physical(spec, "function", r.function)]),
    );
  });
});
