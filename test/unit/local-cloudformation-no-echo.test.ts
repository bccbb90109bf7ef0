/**
 * A NoEcho parameter's value stays out of what describes the stack: CloudFormation "returns the
 * parameter value masked as asterisks (*****) for any calls that describe the stack or stack
 * events" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
 * The failover app's global stack puts the health checkers' secret into a Route 53 health check's
 * ResourcePath through Fn::Sub, so the stack events' ResourceProperties must not carry it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { body, deploy, REGION, testHarness, thing } from "../support/cloudformation-rig.ts";

const SECRET = "s3cr3t-Health-Checker-Id";

describe("NoEcho parameters in the local CloudFormation", () => {
  test("are masked in the stack events' ResourceProperties, also inside a Fn::Sub", async (t) => {
    const h = testHarness(t);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own syntax, not a template.
    const path = { "Fn::Sub": "/health?healthCheckerId=${Secret}" };
    const template = body(
      { Check: thing({ Value: path, Plain: { Ref: "Open" } }) },
      {
        Parameters: {
          Secret: { Type: "String", NoEcho: true },
          Open: { Type: "String" },
        },
      },
    );
    const { stack } = await deploy(h, "global", template, {
      parameters: [
        { key: "Secret", value: SECRET },
        { key: "Open", value: "visible" },
      ],
    });
    assert.equal(stack?.status, "CREATE_COMPLETE");
    // The resource itself got the value: only what describes it is masked.
    assert.equal(h.world.calls[0]?.properties?.Value, `/health?healthCheckerId=${SECRET}`);
    const events = h.service.describeStackEvents(REGION, "global").events;
    const withProperties = events.filter((e) => e.properties !== undefined);
    assert.ok(withProperties.length > 0);
    for (const event of withProperties) {
      assert.ok(!event.properties?.includes(SECRET), event.properties);
      assert.match(event.properties ?? "", /healthCheckerId=\*{4}/);
      assert.match(event.properties ?? "", /visible/);
    }
  });
});
