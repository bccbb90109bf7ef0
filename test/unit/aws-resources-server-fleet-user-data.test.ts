import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { containerCommand } from "../../src/aws/resources/server-fleet-fargate.ts";
import { fleetUserData, userDataText } from "../../src/aws/resources/server-fleet-user-data.ts";
import type { TemplateValue } from "../../src/aws/template/template.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import type { ServerSpec } from "../../src/model/servers.ts";

type Definition = Parameters<typeof normaliseApp>[0];

function fleet(server: Record<string, unknown>): { spec: AppSpec; fleet: ServerSpec } {
  const spec = normaliseApp(
    {
      name: "shop",
      functions: { api: { handler: "src/api.handler" } },
      servers: { web: { functions: ["api"], ...server } },
    } as unknown as Definition,
    { region: "eu-west-1" },
  );
  const web = spec.servers?.web;
  assert.ok(web);
  return { spec, fleet: web };
}

/** The unit file the script writes, between its heredoc markers. */
function unit(text: string): string[] {
  const start = text.indexOf("<<'UNIT'\n");
  const end = text.indexOf("\nUNIT\n");
  assert.ok(start > 0 && end > start, "the script writes a systemd unit");
  return text.slice(start + "<<'UNIT'\n".length, end).split("\n");
}

describe("an EC2 fleet's user data", () => {
  test("installs AL2023's Node.js 22, fetches the artifact from the artifact bucket and installs it as the service user", () => {
    const { spec, fleet: web } = fleet({});
    const text = userDataText(spec, web);
    assert.match(text, /^#!\/bin\/bash\n/);
    assert.match(text, /^set -euo pipefail$/m);
    assert.match(text, /^dnf install -y nodejs22 nodejs22-npm unzip /m);
    assert.match(
      text,
      /^aws s3 cp "s3:\/\/\{\{Ref:ArtifactBucket\}\}\/\{\{Ref:WebFleetArtifactKey\}\}" \/opt\/sluice\/artifact\.zip/m,
    );
    assert.match(text, /^unzip -q -o \/opt\/sluice\/artifact\.zip -d \/opt\/sluice\/app$/m);
    assert.match(text, /^runuser -u sluice -- env HOME=\/opt\/sluice npm-22 install --omit=dev/m);
    assert.match(text, /useradd --system .* sluice$/m);
    assert.ok(
      text.indexOf("chown -R sluice:sluice") < text.indexOf("npm-22 install"),
      "owned by the user before it installs",
    );
  });

  test("runs sluice serve under systemd as a dedicated user, restarting it, stopping it with SIGTERM after the deadline plus 5 s", () => {
    const { spec, fleet: web } = fleet({ shutdownSeconds: 45, port: 9000, schedules: true });
    const lines = unit(userDataText(spec, web));
    assert.ok(lines.includes("User=sluice"));
    assert.ok(lines.includes("Restart=always"));
    assert.ok(lines.includes("KillSignal=SIGTERM"));
    assert.ok(lines.includes("TimeoutStopSec=50"));
    assert.ok(lines.includes("Environment=AWS_REGION={{Ref:AWS::Region}}"));
    assert.ok(
      lines.includes(
        "ExecStart=/usr/bin/node-22 /opt/sluice/app/node_modules/sluice/bin/sluice.js serve --artifact /opt/sluice/app --fleet web --host 0.0.0.0 --port 9000 --region {{Ref:AWS::Region}} --shutdown-seconds 45 --schedules",
      ),
      lines.join("\n"),
    );
    const text = userDataText(spec, web);
    assert.match(text, /^systemctl enable --now sluice-web\.service$/m);
  });

  test("signals the Auto Scaling group once /healthz answers, and failure on any error", () => {
    const { spec, fleet: web } = fleet({ port: 9000 });
    const text = userDataText(spec, web);
    assert.match(text, /--resource "WebFleetAutoScalingGroup"/);
    assert.match(text, /^trap 'signal 1' ERR$/m);
    assert.match(text, /curl -fsS -o \/dev\/null "http:\/\/127\.0\.0\.1:9000\/healthz"/);
    assert.ok(text.indexOf("signal 0") > text.indexOf("systemctl enable --now"));
  });

  test("ships the service's output to the fleet's log group", () => {
    const { spec, fleet: web } = fleet({});
    const text = userDataText(spec, web);
    assert.match(
      text,
      /"file_path":"\/var\/log\/sluice\/web\.log","log_group_name":"\/sluice\/shop\/servers\/web"/,
    );
    assert.ok(unit(text).includes("StandardOutput=append:/var/log/sluice/web.log"));
  });

  test("becomes one Fn::Join whose only references are the stack's parameters and pseudo parameters", () => {
    const { spec, fleet: web } = fleet({});
    const value = fleetUserData(spec, web) as { "Fn::Join": [string, TemplateValue[]] };
    const parts = value["Fn::Join"][1];
    const refs = new Set(
      parts.flatMap((p) => (typeof p === "object" && p !== null && "Ref" in p ? [String(p.Ref)] : [])),
    );
    assert.deepEqual([...refs].sort(), [
      "AWS::Region",
      "AWS::StackName",
      "ArtifactBucket",
      "WebFleetArtifactKey",
    ]);
    assert.ok(!parts.some((p) => typeof p === "string" && p.includes("{{")), "no placeholder left");
  });
});

describe("a Fargate fleet's container command", () => {
  test("fetches and installs the artifact, then execs sluice serve so SIGTERM reaches it", () => {
    const { fleet: web } = fleet({ platform: "fargate", port: 8081 });
    const lines = containerCommand(web).split("\n");
    assert.equal(lines[0], "set -eu");
    assert.ok(lines.includes('node -e "$SLUICE_FETCH_SCRIPT" /home/node/app'));
    assert.ok(lines.includes("npm install --no-audit --no-fund --omit=dev"));
    // The fetcher's one package at an exact version, without install scripts; unzip is Node's zlib.
    assert.ok(
      lines.some((l) => /^npm install .*--ignore-scripts @aws-sdk\/client-s3@\d+\.\d+\.\d+$/.test(l)),
      lines.join("\n"),
    );
    assert.ok(!lines.some((l) => l.includes("adm-zip")));
    assert.equal(
      lines.at(-1),
      'exec node /home/node/app/node_modules/sluice/bin/sluice.js serve --artifact /home/node/app --fleet web --host 0.0.0.0 --port 8081 --region "$AWS_REGION" --shutdown-seconds 30',
    );
  });
});
