import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { normaliseLoadedApp } from "../../src/bundle/state-machine-files.ts";
import { ConfigError } from "../../src/model/config-error.ts";

const root = mkdtempSync(join(tmpdir(), "sluice-asl-"));
const app = join(root, "app");
mkdirSync(join(app, "src"), { recursive: true });
writeFileSync(
  join(root, "outside.asl.json"),
  JSON.stringify({ StartAt: "A", States: { A: { Type: "Succeed" } } }),
);
after(() => rmSync(root, { recursive: true, force: true }));

const good = {
  StartAt: "Run",
  States: {
    Run: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "work" },
      End: true,
    },
  },
};
writeFileSync(join(app, "src/flow.asl.json"), JSON.stringify(good));
writeFileSync(join(app, "src/broken.asl.json"), "{ not json");

const definition = (machines: Record<string, unknown>) => ({
  name: "shop",
  functions: { work: { handler: "src/work.handler", memorySize: 64 } },
  stateMachines: machines,
});

async function issuesOf(
  machines: Record<string, unknown>,
  fixFunction = false,
): Promise<ConfigError["issues"]> {
  const d = definition(machines);
  if (fixFunction) d.functions.work.memorySize = 128;
  try {
    await normaliseLoadedApp(app, d);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues;
  }
  return assert.fail("expected a ConfigError");
}

describe("loading state machine definition files", () => {
  test("a file relative to the app root is read, parsed and kept as definitionFile", async () => {
    const d = definition({ flow: { definition: "src/flow.asl.json" } });
    d.functions.work.memorySize = 128;
    const { spec, machines } = await normaliseLoadedApp(app, d);
    assert.equal(spec.stateMachines?.flow?.definitionFile, "src/flow.asl.json");
    assert.deepEqual(spec.stateMachines?.flow?.definition, good);
    assert.deepEqual(machines.files, [join(app, "src/flow.asl.json")]);
  });

  test("paths out of the app root are refused: .., absolute, and a symbolic link out", async () => {
    symlinkSync(join(root, "outside.asl.json"), join(app, "src/link.asl.json"));
    const issues = await issuesOf(
      {
        up: { definition: "../outside.asl.json" },
        abs: { definition: join(root, "outside.asl.json") },
        link: { definition: "src/link.asl.json" },
      },
      true,
    );
    assert.deepEqual(
      issues.map((i) => i.path),
      ["stateMachines.up.definition", "stateMachines.abs.definition", "stateMachines.link.definition"],
    );
    assert.match(issues[0]?.message ?? "", /leaves the app root/);
    assert.match(issues[1]?.message ?? "", /absolute/);
    assert.match(issues[2]?.message ?? "", /outside the app root/);
  });

  test("Windows-style paths out of the root are refused too: ..\\, a drive letter, a UNC share", async () => {
    const issues = await issuesOf(
      {
        up: { definition: "src\\..\\..\\outside.asl.json" },
        drive: { definition: "C:\\app\\flow.asl.json" },
        relativeDrive: { definition: "C:flow.asl.json" },
        unc: { definition: "\\\\server\\share\\flow.asl.json" },
      },
      true,
    );
    assert.deepEqual(
      issues.map((i) => [i.path, /leaves the app root|absolute/.test(i.message)]),
      ["up", "drive", "relativeDrive", "unc"].map((name) => [`stateMachines.${name}.definition`, true]),
    );
  });

  test("every problem at once: a missing file, bad JSON, asl-validator's findings with paths, and the model's issues", async () => {
    const issues = await issuesOf({
      gone: { definition: "src/missing.asl.json" },
      broken: { definition: "src/broken.asl.json" },
      inline: {
        definition: {
          StartAt: "Fan",
          States: {
            Fan: {
              Type: "Parallel",
              End: true,
              Branches: [{ StartAt: "Run", States: { Run: { Type: "Pass", Next: 7 } } }],
            },
          },
        },
      },
    });
    const paths = issues.map((i) => i.path);
    assert.ok(paths.includes("stateMachines.gone.definition"), paths.join("\n"));
    assert.ok(paths.includes("stateMachines.broken.definition"), paths.join("\n"));
    const language = issues.find((i) => i.path.startsWith("stateMachines.inline.definition.States"));
    assert.equal(language?.path, "stateMachines.inline.definition.States.Fan.Branches[0].States.Run.Next");
    assert.match(language?.message ?? "", /state "Fan → branch 0 → Run"/);
    assert.ok(paths.includes("functions.work.memorySize"), "the model's issue comes in the same error");
    assert.equal(
      paths.filter((p) => p === "stateMachines.gone.definition").length,
      1,
      "an unread file is reported once",
    );
  });

  test("a function's Sluice name as a Task's Resource passes asl-validator", async () => {
    const direct = { StartAt: "Run", States: { Run: { Type: "Task", Resource: "work", End: true } } };
    const d = definition({ flow: { definition: direct } });
    d.functions.work.memorySize = 128;
    const { spec } = await normaliseLoadedApp(app, d);
    assert.equal(spec.stateMachines?.flow?.references[0]?.field, "Resource");
  });
});

test("a malformed document is reported, never thrown", async () => {
  const issues = await issuesOf(
    {
      odd: { definition: { StartAt: "A", States: { A: "not a state" } } },
      worse: { definition: { StartAt: "A", States: "nope" } },
    },
    true,
  );
  assert.ok(
    issues.some((i) => i.path.startsWith("stateMachines.odd.definition")),
    JSON.stringify(issues),
  );
  assert.ok(
    issues.some((i) => i.path.startsWith("stateMachines.worse.definition")),
    JSON.stringify(issues),
  );
});
