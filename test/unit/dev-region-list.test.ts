/** Which regions `sluice dev` runs, each region's spec, and the session's health checker id. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { latencyOption, regionsListOption } from "../../src/cli/dev-regions-output.ts";
import {
  checkLatencies,
  devRegions,
  HealthCheckerSecret,
  regionSpecs,
  regionStateDir,
  withoutCheckerId,
} from "../../src/dev/dev-regions.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const single = {
  name: "shop",
  buckets: { files: {} },
  functions: {
    api: {
      handler: "src/api.handler",
      http: "GET /x",
      health: { path: "/health" },
    },
  },
};

test("a single-region app runs its one region on .sluice itself", () => {
  const spec = normaliseApp(single);
  assert.deepEqual(devRegions(spec), { regions: ["us-east-1"], multiRegion: false });
  assert.equal(regionStateDir("/app/.sluice", "us-east-1", false), "/app/.sluice");
  assert.equal(regionStateDir("/app/.sluice", "us-west-2", true), "/app/.sluice/regions/us-west-2");
  assert.throws(() => regionStateDir("/app/.sluice", "../x", true));
});

test("--regions overrides, drops repeats, and refuses every code that is not an AWS Region at once", () => {
  const spec = normaliseApp(single);
  assert.deepEqual(devRegions(spec, ["eu-west-1", " us-east-1", "eu-west-1"]), {
    regions: ["eu-west-1", "us-east-1"],
    multiRegion: true,
  });
  assert.throws(
    () => devRegions(spec, ["us-east-1", "mars-1", "../etc"]),
    (error: Error & { code?: string }) =>
      error.code === "SLUICE_REGIONS" && /"mars-1", "\.\.\/etc" are not/.test(error.message),
  );
  assert.throws(() => devRegions(spec, ["us-east-1"]), /at least two/);
});

test("each region's spec is normalised for it, and names the regions dev runs", () => {
  const spec = normaliseApp(single);
  const specs = regionSpecs(single, spec, { regions: ["us-east-1", "us-west-2"], multiRegion: true });
  assert.deepEqual([...specs.keys()], ["us-east-1", "us-west-2"]);
  const west = specs.get("us-west-2");
  assert.equal(west?.region, "us-west-2");
  assert.match(west?.buckets?.files?.bucketName ?? "", /-us-west-2$/);
  assert.deepEqual(west?.regions, { primary: "us-east-1", secondary: ["us-west-2"] });
  assert.ok(Object.isFrozen(west));
});

test("the health checker id goes to Route 53-checked health functions unless the definition sets it", () => {
  const secret = new HealthCheckerSecret();
  assert.match(secret.value, /^[0-9a-f]{32}$/);
  assert.notEqual(new HealthCheckerSecret().value, secret.value);
  const health = { path: "/health", deepPercent: 0, checkerIdVariable: "CHECKER", forceFailVariable: "FAIL" };
  const fn = (environment: Record<string, string>, route53: boolean) =>
    ({
      environment,
      health: route53 ? { ...health, route53: { intervalSeconds: 30, failureThreshold: 3 } } : health,
    }) as never;
  assert.deepEqual(secret.environment(fn({}, true)), { CHECKER: secret.value });
  assert.deepEqual(secret.environment(fn({}, false)), {});
  assert.deepEqual(secret.environment(fn({ CHECKER: "mine" }, true)), {});
  assert.equal(secret.checkerId(fn({ CHECKER: "mine" }, true)), "mine");
  assert.equal(secret.checkerId(fn({}, true)), secret.value);
});

test("--regions and --latency parse comma lists; a malformed latency names the entries", () => {
  assert.deepEqual(regionsListOption("us-east-1, us-west-2,"), ["us-east-1", "us-west-2"]);
  assert.equal(regionsListOption(undefined), undefined);
  assert.throws(() => regionsListOption(","), /Region codes/);
  assert.deepEqual({ ...latencyOption("us-east-1=20,us-west-2=80") }, { "us-east-1": 20, "us-west-2": 80 });
  assert.throws(() => latencyOption("us-east-1=20,us-west-2,x=-1"), /got "us-west-2,x=-1"/);
});

test("dev's access events leave out the health checker id", () => {
  assert.equal(withoutCheckerId("GET /health?healthCheckerId=s3cret"), "GET /health?healthCheckerId=…");
  assert.equal(
    withoutCheckerId("GET /health?a=1&healthCheckerId=s3cret&b=2"),
    "GET /health?a=1&healthCheckerId=…&b=2",
  );
  assert.equal(withoutCheckerId("GET /echo?x=1"), "GET /echo?x=1");
});

test("--latency names only regions dev runs: a typo is refused, not ignored", () => {
  const regions = ["us-east-1", "us-west-2"];
  assert.doesNotThrow(() => checkLatencies({ "us-west-2": 80 }, regions));
  assert.doesNotThrow(() => checkLatencies(undefined, regions));
  assert.throws(
    () => checkLatencies({ "us-east-1": 20, "us-wets-2": 80 }, regions),
    (error: Error & { code?: string }) =>
      error.code === "SLUICE_REGIONS" && /--latency .*"us-wets-2".*us-east-1, us-west-2/.test(error.message),
  );
});
