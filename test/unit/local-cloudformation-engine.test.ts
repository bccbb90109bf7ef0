import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { ResourceProvider } from "../../src/local/cloudformation/resource-provider.ts";
import {
  body,
  deploy,
  failureReasons,
  harness,
  REGION,
  statuses,
  testHarness,
  thing,
} from "../support/cloudformation-rig.ts";

describe("local CloudFormation stack operations", () => {
  test("creates resources in dependency order and resolves Ref and GetAtt between them", async (t) => {
    const h = testHarness(t);
    const template = body(
      {
        C: thing({ Value: { "Fn::GetAtt": ["B", "Arn"] } }),
        B: thing({ Value: { Ref: "A" } }),
        A: thing({ Value: "root" }),
      },
      { Outputs: { CArn: { Value: { "Fn::GetAtt": ["C", "Arn"] } }, BRef: { Value: { Ref: "B" } } } },
    );
    const { stack } = await deploy(h, "app", template);
    assert.equal(stack?.status, "CREATE_COMPLETE");
    assert.deepEqual(h.world.ops(), ["create A", "create B", "create C"]);
    assert.equal(h.world.calls[1]?.properties?.Value, "A-1");
    assert.equal(h.world.calls[2]?.properties?.Value, `arn:test:${REGION}:B-2`);
    assert.deepEqual(
      stack?.outputs.map((o) => [o.key, o.value]),
      [
        ["CArn", `arn:test:${REGION}:C-3`],
        ["BRef", "B-2"],
      ],
    );
    assert.deepEqual(statuses(h, "app"), [
      "app REVIEW_IN_PROGRESS",
      "app CREATE_IN_PROGRESS",
      "A CREATE_IN_PROGRESS",
      "A CREATE_COMPLETE",
      "B CREATE_IN_PROGRESS",
      "B CREATE_COMPLETE",
      "C CREATE_IN_PROGRESS",
      "C CREATE_COMPLETE",
      "app CREATE_COMPLETE",
    ]);
    assert.deepEqual(h.settled, [REGION]);
    assert.deepEqual(
      h.service.resources(REGION).map((r) => [r.logicalId, r.physicalId]),
      [
        ["A", "A-1"],
        ["B", "B-2"],
        ["C", "C-3"],
      ],
    );
  });

  test("updates in place, replaces on a create-only property, and deletes the old resource in cleanup", async (t) => {
    const h = testHarness(t);
    await deploy(
      h,
      "app",
      body({ A: thing({ Value: "1", Fixed: "x" }), B: thing({ Value: "1" }), Gone: thing({}) }),
    );
    h.world.calls.length = 0;
    const { changeSet, stack } = await deploy(
      h,
      "app",
      body({ A: thing({ Value: "1", Fixed: "y" }), B: thing({ Value: "2" }) }),
      { type: "UPDATE" },
    );
    assert.deepEqual(
      changeSet.changes.map((c) => [c.action, c.logicalId, c.replacement]),
      [
        ["Modify", "A", "True"],
        ["Modify", "B", "False"],
        ["Remove", "Gone", undefined],
      ],
    );
    assert.equal(stack?.status, "UPDATE_COMPLETE");
    assert.deepEqual(h.world.ops(), ["create A", "update B", "delete A", "delete Gone"]);
    assert.equal(h.world.calls[2]?.physicalId, "A-1");
    assert.deepEqual([...h.world.live].sort(), ["A-4", "B-2"]);
    const events = statuses(h, "app");
    assert.ok(events.includes("app UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"));
    assert.equal(events.at(-1), "app UPDATE_COMPLETE");
  });

  test("refuses to replace a custom-named resource and rolls the update back", async (t) => {
    const h = testHarness(t);
    await deploy(h, "app", body({ A: thing({ Name: "orders", Fixed: "x" }), B: thing({ Value: "1" }) }));
    const { stack } = await deploy(
      h,
      "app",
      body({ A: thing({ Name: "orders", Fixed: "y" }), B: thing({ Value: "1" }) }),
      {
        type: "UPDATE",
      },
    );
    assert.equal(stack?.status, "UPDATE_ROLLBACK_COMPLETE");
    const failed = h.service
      .describeStackEvents(REGION, "app")
      .events.find((e) => e.status === "UPDATE_FAILED");
    assert.equal(
      failed?.statusReason,
      "CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename orders and update the stack again.",
    );
    assert.deepEqual([...h.world.live].sort(), ["B-2", "orders-1"]);
  });

  test("a failed create rolls back what it made and leaves the stack in ROLLBACK_COMPLETE", async (t) => {
    const h = testHarness(t);
    const { stack } = await deploy(
      h,
      "app",
      body({ A: thing({}), B: thing({ FailOn: "create" }, { DependsOn: "A" }) }),
    );
    assert.equal(stack?.status, "ROLLBACK_COMPLETE");
    assert.deepEqual(h.world.ops(), ["create A", "create B", "delete A"]);
    assert.equal(h.world.live.size, 0);
    const events = h.service.describeStackEvents(REGION, "app").events;
    assert.equal(
      events.find((e) => e.status === "CREATE_FAILED")?.statusReason,
      "B refused to create (test)",
    );
    assert.equal(
      events.find((e) => e.status === "ROLLBACK_IN_PROGRESS")?.statusReason,
      "The following resource(s) failed to create: [B]. Rollback requested by user.",
    );
    assert.deepEqual(h.service.resources(REGION), []);
    assert.throws(
      () =>
        h.service.createChangeSet(REGION, {
          stackName: "app",
          changeSetName: "again",
          changeSetType: "UPDATE",
          templateBody: body({ A: thing({}) }),
        }),
      /is in ROLLBACK_COMPLETE state and can not be updated/,
    );
    h.service.deleteStack(REGION, "app");
    await h.service.idle();
    assert.throws(() => h.service.describeStacks(REGION, "app"), /Stack with id app does not exist/);
  });

  test("a failed update restores the previous properties and deletes what it created", async (t) => {
    const h = testHarness(t);
    await deploy(h, "app", body({ A: thing({ Value: "1" }), B: thing({ Value: "1" }, { DependsOn: "A" }) }));
    h.world.calls.length = 0;
    h.world.failNext = { op: "update", logicalId: "B" };
    const { stack } = await deploy(
      h,
      "app",
      body({ A: thing({ Value: "2" }), New: thing({}), B: thing({ Value: "2" }, { DependsOn: "A" }) }),
      { type: "UPDATE" },
    );
    assert.equal(stack?.status, "UPDATE_ROLLBACK_COMPLETE");
    assert.equal(stack?.statusReason, undefined);
    assert.deepEqual(h.world.ops(), ["update A", "create New", "update B", "update A", "delete New"]);
    assert.equal(h.world.calls[3]?.properties?.Value, "1");
    const resources = h.service.resources(REGION).map((r) => [r.logicalId, r.properties.Value]);
    assert.deepEqual(resources, [
      ["A", "1"],
      ["B", "1"],
    ]);
    assert.equal(JSON.parse(h.service.getTemplate(REGION, "app", undefined)).Resources.New, undefined);
    const events = statuses(h, "app");
    assert.ok(events.includes("app UPDATE_ROLLBACK_IN_PROGRESS"));
    assert.ok(events.includes("app UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"));
  });

  test("deleting a stack deletes in reverse dependency order and keeps Retain resources", async (t) => {
    const h = testHarness(t);
    const { stack } = await deploy(
      h,
      "app",
      body({
        A: thing({}),
        B: thing({ Value: { Ref: "A" } }),
        Keep: thing({}, { DeletionPolicy: "Retain" }),
      }),
    );
    const stackId = stack?.stackId as string;
    h.world.calls.length = 0;
    h.service.deleteStack(REGION, "app");
    assert.equal(h.service.describeStacks(REGION, "app")[0]?.status, "DELETE_IN_PROGRESS");
    await h.service.idle();
    assert.deepEqual(h.world.ops(), ["delete B", "delete A"]);
    assert.deepEqual([...h.world.live], ["Keep-2"]);
    assert.ok(statuses(h, stackId).includes("Keep DELETE_SKIPPED"));
    assert.equal(statuses(h, stackId).at(-1), "app DELETE_COMPLETE");
    assert.equal(h.service.describeStacks(REGION, stackId)[0]?.status, "DELETE_COMPLETE");
    assert.deepEqual(h.service.describeStacks(REGION), []);
    h.service.deleteStack(REGION, "app");
    await h.service.idle();
  });

  test("a provider that fails to delete leaves the stack DELETE_FAILED with the reason", async (t) => {
    const h = testHarness(t);
    await deploy(h, "app", body({ A: thing({}) }));
    h.world.failNext = { op: "delete", logicalId: "A" };
    h.service.deleteStack(REGION, "app");
    await h.service.idle();
    const [stack] = h.service.describeStacks(REGION, "app");
    assert.equal(stack?.status, "DELETE_FAILED");
    assert.equal(stack?.statusReason, "The following resource(s) failed to delete: [A]. ");
    h.service.deleteStack(REGION, "app");
    await h.service.idle();
    assert.deepEqual(h.service.describeStacks(REGION), []);
  });

  test("after a crash mid-create, start() on the same file rolls the operation back", async () => {
    const first = harness();
    const second = harness({ dir: first.dir, world: first.world });
    try {
      const { changeSetId } = first.service.createChangeSet(REGION, {
        stackName: "app",
        changeSetName: "one",
        changeSetType: "CREATE",
        templateBody: body({ A: thing({}), B: thing({ Hang: true }, { DependsOn: "A" }) }),
      });
      first.service.executeChangeSet(REGION, changeSetId);
      await first.clock.advance(0);
      assert.deepEqual(first.world.ops(), ["create A", "create B"]);
      await first.service.close();
      first.db.close();
      await second.service.start();
      const [stack] = second.service.describeStacks(REGION, "app");
      assert.equal(stack?.status, "ROLLBACK_COMPLETE");
      assert.deepEqual(second.world.ops(), ["create A", "create B", "delete A"]);
      assert.equal(second.world.live.size, 0);
      const reasons = second.service.describeStackEvents(REGION, "app").events.map((e) => e.statusReason);
      assert.ok(reasons.some((r) => r?.startsWith("The local cloud stopped while this operation ran")));
    } finally {
      second.cleanup();
    }
  });

  test("after a crash mid-delete, start() finishes deleting the stack", async () => {
    const first = harness();
    const second = harness({ dir: first.dir, world: first.world });
    try {
      const { stack } = await deploy(
        first,
        "app",
        body({ A: thing({}), B: thing({ HangOn: "delete" }, { DependsOn: "A" }) }),
      );
      first.service.deleteStack(REGION, "app");
      await first.clock.advance(0);
      assert.deepEqual(first.world.ops().slice(-1), ["delete B"]);
      await first.service.close();
      first.db.close();
      first.world.hangDeletes = false;
      await second.service.start();
      assert.equal(
        second.service.describeStacks(REGION, stack?.stackId as string)[0]?.status,
        "DELETE_COMPLETE",
      );
      assert.deepEqual(second.world.ops().slice(-2), ["delete B", "delete A"]);
      assert.equal(second.world.live.size, 0);
    } finally {
      second.cleanup();
    }
  });

  test("after a crash mid-update, start() restores the previous resources", async () => {
    const first = harness();
    const second = harness({ dir: first.dir, world: first.world });
    try {
      await deploy(first, "app", body({ A: thing({ Value: "1" }) }));
      const { changeSetId } = first.service.createChangeSet(REGION, {
        stackName: "app",
        changeSetName: "two",
        changeSetType: "UPDATE",
        templateBody: body({ A: thing({ Value: "2" }), B: thing({ Hang: true }, { DependsOn: "A" }) }),
      });
      first.service.executeChangeSet(REGION, changeSetId);
      await first.clock.advance(0);
      await first.service.close();
      first.db.close();
      await second.service.start();
      const [stack] = second.service.describeStacks(REGION, "app");
      assert.equal(stack?.status, "UPDATE_ROLLBACK_COMPLETE");
      assert.deepEqual(
        second.service.resources(REGION).map((r) => [r.logicalId, r.properties.Value]),
        [["A", "1"]],
      );
      assert.deepEqual(second.world.ops(), ["create A", "update A", "create B", "update A"]);
    } finally {
      second.cleanup();
    }
  });

  test("a replacement passes the new physical id to the resources that refer to it", async (t) => {
    const h = testHarness(t);
    await deploy(h, "app", body({ A: thing({ Fixed: "1" }), B: thing({ Value: { Ref: "A" } }) }));
    h.world.calls.length = 0;
    const { stack } = await deploy(
      h,
      "app",
      body({ A: thing({ Fixed: "2" }), B: thing({ Value: { Ref: "A" } }) }),
      {
        type: "UPDATE",
      },
    );
    assert.equal(stack?.status, "UPDATE_COMPLETE");
    assert.deepEqual(h.world.ops(), ["create A", "update B", "delete A"]);
    assert.equal(h.world.calls[1]?.properties?.Value, "A-3");
  });

  test("pages stack events newest first with NextToken", async (t) => {
    const h = testHarness(t);
    const resources = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`R${i}`, thing({})]));
    await deploy(h, "app", body(resources));
    const first = h.service.describeStackEvents(REGION, "app");
    assert.equal(first.events.length, 100);
    assert.equal(first.events[0]?.status, "CREATE_COMPLETE");
    assert.equal(first.events[0]?.logicalId, "app");
    const second = h.service.describeStackEvents(REGION, "app", first.nextToken);
    assert.equal(second.events.length, 23);
    assert.equal(second.nextToken, undefined);
    assert.equal(second.events.at(-1)?.status, "REVIEW_IN_PROGRESS");
  });

  test("deploys and deletes every golden template Sluice synthesises (with catch-all providers)", async () => {
    const dir = new URL("../golden/", import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".template.json") && !f.includes("ec2"))) {
      const text = readFileSync(new URL(file, dir), "utf8");
      // Every attribute the template reads: Fn::GetAtt's array form and Fn::Sub's `${Resource.Attribute}`.
      const attributes = [
        ...text.matchAll(/"Fn::GetAtt":\s*\[\s*"[^"]+",\s*"([^"]+)"/g),
        ...text.matchAll(/\$\{[A-Za-z0-9]+\.([A-Za-z0-9.]+)\}/g),
      ].map((m) => m[1] as string);
      const made: string[] = [];
      const provider: ResourceProvider = {
        replaceOn: [],
        create: async (properties, context) => {
          assert.ok(
            !JSON.stringify(properties).includes('"Fn::'),
            `${file}: ${context.logicalId} unresolved`,
          );
          made.push(context.logicalId);
          const physicalId = `${context.logicalId}-physical`;
          return {
            physicalId,
            // An endpoint is a URL (the failover template splits ApiEndpoint for its host).
            attributes: Object.fromEntries(
              attributes.map((a) => [
                a,
                a.endsWith("Endpoint") ? `https://${physicalId}.test` : `${physicalId}.${a}`,
              ]),
            ),
          };
        },
        update: async (current) => current,
        delete: async () => {},
      };
      const h = harness({ providers: () => provider });
      try {
        const template = JSON.parse(text) as {
          Parameters?: Record<string, { Default?: unknown }>;
          Resources: object;
        };
        const parameters = Object.entries(template.Parameters ?? {})
          .filter(([, p]) => p.Default === undefined)
          .map(([key]) => ({ key, value: `${key}-value` }));
        const { changeSetId } = h.service.createChangeSet(REGION, {
          stackName: "golden",
          changeSetName: "c1",
          changeSetType: "CREATE",
          templateBody: text,
          parameters,
          capabilities: ["CAPABILITY_IAM"],
        });
        h.service.executeChangeSet(REGION, changeSetId);
        await h.service.idle();
        const [stack] = h.service.describeStacks(REGION, "golden");
        assert.equal(stack?.status, "CREATE_COMPLETE", `${file}: ${failureReasons(h, "golden")}`);
        assert.equal(made.length, Object.keys(template.Resources).length, file);
        h.service.deleteStack(REGION, "golden");
        await h.service.idle();
        assert.deepEqual(h.service.resources(REGION), [], file);
      } finally {
        h.cleanup();
      }
    }
  });

  test("runs independent resources concurrently and cancels those in flight when one fails", async (t) => {
    const h = testHarness(t);
    const gate = h.world.gate("slow");
    const { changeSetId } = h.service.createChangeSet(REGION, {
      stackName: "app",
      changeSetName: "c1",
      changeSetType: "CREATE",
      templateBody: body({
        Slow: thing({ Gate: "slow" }),
        Bad: thing({ FailOn: "create" }),
        After: thing({}, { DependsOn: ["Slow", "Bad"] }),
      }),
    });
    h.service.executeChangeSet(REGION, changeSetId);
    await h.clock.advance(0);
    assert.deepEqual(h.world.ops(), ["create Slow", "create Bad"]);
    gate.open();
    await h.service.idle();
    const [stack] = h.service.describeStacks(REGION, "app");
    assert.equal(stack?.status, "ROLLBACK_COMPLETE");
    assert.deepEqual(h.world.ops(), ["create Slow", "create Bad", "delete Slow"]);
    const failures = h.service
      .describeStackEvents(REGION, "app")
      .events.filter((e) => e.status === "CREATE_FAILED")
      .map((e) => [e.logicalId, e.statusReason]);
    assert.deepEqual(failures, [
      ["Slow", "Resource creation cancelled"],
      ["Bad", "Bad refused to create (test)"],
    ]);
    assert.equal(
      h.service.describeStackEvents(REGION, "app").events.find((e) => e.status === "ROLLBACK_IN_PROGRESS")
        ?.statusReason,
      "The following resource(s) failed to create: [Bad]. Rollback requested by user.",
    );
  });
});
