import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import type { Template, TemplateValue } from "../../src/aws/template/template.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

type Definition = Parameters<typeof normaliseApp>[0];

const APP = {
  name: "shop",
  queues: { done: {}, failed: {}, discarded: {} },
  functions: {
    items: { handler: "src/items.handler", http: ["GET /items/{id}", "POST /items"] },
    fallback: { handler: "src/fallback.handler", http: ["ANY /{proxy+}", "$default"] },
    status: {
      handler: "src/status.handler",
      health: { path: "/ping", deepCheck: "check" },
      environment: { HEALTH_CHECKER_ID: "local-only-secret" },
    },
    worker: {
      handler: "src/worker.handler",
      async: {
        maximumRetryAttempts: 0,
        maximumEventAge: "1 hour",
        onSuccess: "done",
        onFailure: "cleanup",
        deadLetter: "discarded",
      },
    },
    cleanup: { handler: "src/cleanup.handler", async: { onFailure: "failed" } },
    connect: { handler: "src/ws.connect" },
    talk: { handler: "src/ws.talk" },
  },
  api: {
    stage: "prod",
    payloadFormat: "1.0",
    cors: { allowOrigins: ["https://example.com"], allowMethods: ["GET", "POST"], maxAge: "10 minutes" },
  },
  websocket: {
    stage: "live",
    routeSelectionExpression: "$request.body.type",
    routes: { $connect: "connect", $disconnect: "connect", $default: "talk", sendMessage: "talk" },
  },
} as Definition;

async function synth(definition: Definition = APP): Promise<Template> {
  return synthesize(normaliseApp(definition, { accountId: "123456789012" }));
}

function props(template: Template, id: string): Record<string, TemplateValue> {
  const found = template.Resources[id];
  assert.ok(found, `resource ${id} exists; have ${Object.keys(template.Resources).join(", ")}`);
  return (found.Properties ?? {}) as Record<string, TemplateValue>;
}

function ofType(template: Template, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);
}

function statement(template: Template, role: string, sid: string) {
  const policies = props(template, role).Policies as {
    PolicyDocument: { Statement: { Sid: string; Action: string[]; Resource: TemplateValue[] }[] };
  }[];
  const found = policies.flatMap((p) => p.PolicyDocument.Statement).find((s) => s.Sid === sid);
  assert.ok(found, `${role} has statement ${sid}`);
  return found;
}

const execute = (path: string) => ({
  "Fn::Sub": `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:${path}`,
});

describe("synth: asynchronous invocation", () => {
  test("writes retries, event age and both destinations, queues and functions by ARN", async () => {
    const t = await synth();
    assert.deepEqual(props(t, "WorkerEventInvokeConfig"), {
      FunctionName: { Ref: "WorkerFunction" },
      Qualifier: "$LATEST",
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnSuccess: { Destination: { "Fn::GetAtt": ["DoneQueue", "Arn"] } },
        OnFailure: {
          Destination: {
            "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:shop-cleanup`,
          },
        },
      },
    });
    assert.deepEqual(t.Resources.WorkerEventInvokeConfig?.DependsOn, ["CleanupFunction"]);
    assert.equal(props(t, "ItemsEventInvokeConfig").DestinationConfig, undefined);
  });

  test("sets the function's dead-letter queue and lets its role send there and to its destinations", async () => {
    const t = await synth();
    assert.deepEqual(props(t, "WorkerFunction").DeadLetterConfig, {
      TargetArn: { "Fn::GetAtt": ["DiscardedQueue", "Arn"] },
    });
    assert.equal(props(t, "CleanupFunction").DeadLetterConfig, undefined);
    const queues = statement(t, "WorkerRole", "AsyncDestinationQueues");
    assert.deepEqual(queues.Action, ["sqs:SendMessage"]);
    assert.deepEqual(queues.Resource, [
      { "Fn::GetAtt": ["DoneQueue", "Arn"] },
      { "Fn::GetAtt": ["DiscardedQueue", "Arn"] },
    ]);
    const functions = statement(t, "WorkerRole", "AsyncDestinationFunctions");
    assert.deepEqual(functions.Action, ["lambda:InvokeFunction"]);
    assert.equal(functions.Resource.length, 2, "the function and its qualified ARNs");
  });
});

describe("synth: HTTP API", () => {
  test("creates the API with the definition's CORS, and a stage that deploys itself", async () => {
    const t = await synth();
    assert.deepEqual(props(t, "HttpApi"), {
      Name: "shop-http",
      ProtocolType: "HTTP",
      CorsConfiguration: {
        AllowOrigins: ["https://example.com"],
        AllowMethods: ["GET", "POST"],
        AllowHeaders: ["*"],
        AllowCredentials: false,
        MaxAge: 600,
      },
    });
    assert.deepEqual(props(t, "HttpApiStage"), {
      ApiId: { Ref: "HttpApi" },
      StageName: "prod",
      AutoDeploy: true,
    });
  });

  test("has one proxy integration per function with the payload format, and one route per route key", async () => {
    const t = await synth();
    assert.deepEqual(
      ofType(t, "AWS::ApiGatewayV2::Integration").filter((id) => id.endsWith("HttpIntegration")),
      ["ItemsHttpIntegration", "FallbackHttpIntegration", "StatusHttpIntegration"],
    );
    assert.deepEqual(props(t, "ItemsHttpIntegration"), {
      ApiId: { Ref: "HttpApi" },
      IntegrationType: "AWS_PROXY",
      IntegrationUri: { "Fn::GetAtt": ["ItemsFunction", "Arn"] },
      PayloadFormatVersion: "1.0",
    });
    const routes = ofType(t, "AWS::ApiGatewayV2::Route")
      .filter((id) => id.endsWith("HttpRoute"))
      .map((id) => [id, props(t, id).RouteKey]);
    assert.deepEqual(routes, [
      ["GETItemsParamIdHttpRoute", "GET /items/{id}"],
      ["POSTItemsHttpRoute", "POST /items"],
      ["ANYParamProxyGreedyHttpRoute", "ANY /{proxy+}"],
      ["DefaultHttpRoute", "$default"],
      ["GETPingHttpRoute", "GET /ping"],
    ]);
    assert.deepEqual(props(t, "DefaultHttpRoute").Target, {
      "Fn::Join": ["/", ["integrations", { Ref: "FallbackHttpIntegration" }]],
    });
  });

  test("lets only this API invoke each of its functions, and outputs its URL with the stage", async () => {
    const t = await synth();
    assert.deepEqual(props(t, "ItemsHttpApiPermission"), {
      Action: "lambda:InvokeFunction",
      FunctionName: { Ref: "ItemsFunction" },
      Principal: "apigateway.amazonaws.com",
      SourceArn: execute(`\${HttpApi}/*`),
    });
    assert.equal(t.Resources.WorkerHttpApiPermission, undefined);
    assert.deepEqual(t.Outputs.HttpApiUrl?.Value, {
      "Fn::Join": ["", [{ "Fn::GetAtt": ["HttpApi", "ApiEndpoint"] }, "/prod"]],
    });
  });

  test("the health check's secret comes from a NoEcho parameter, never a literal in the template", async () => {
    const t = await synth();
    assert.equal(t.Parameters.StatusHealthCheckerId?.NoEcho, true);
    assert.equal(t.Parameters.StatusHealthForceFail?.Default, "false");
    assert.deepEqual((props(t, "StatusFunction").Environment as { Variables: unknown }).Variables, {
      HEALTH_CHECKER_ID: { Ref: "StatusHealthCheckerId" },
      HEALTH_FORCE_FAIL: { Ref: "StatusHealthForceFail" },
    });
    assert.equal(JSON.stringify(t).includes("local-only-secret"), false);
  });

  test("the $default stage is served at the root of the URL", async () => {
    const t = await synth({ ...(APP as object), api: {} } as Definition);
    assert.equal(props(t, "HttpApiStage").StageName, "$default");
    assert.equal(props(t, "HttpApi").CorsConfiguration, undefined);
    assert.deepEqual(t.Outputs.HttpApiUrl?.Value, {
      "Fn::Join": ["", [{ "Fn::GetAtt": ["HttpApi", "ApiEndpoint"] }, "/"]],
    });
  });
});

describe("synth: WebSocket API", () => {
  test("creates the API with its route selection expression, routes to integrations, and a stage", async () => {
    const t = await synth();
    assert.deepEqual(props(t, "WebSocketApi"), {
      Name: "shop-websocket",
      ProtocolType: "WEBSOCKET",
      RouteSelectionExpression: "$request.body.type",
    });
    const routes = ofType(t, "AWS::ApiGatewayV2::Route")
      .filter((id) => id.endsWith("WebSocketRoute"))
      .map((id) => [id, props(t, id).RouteKey]);
    assert.deepEqual(routes, [
      ["ConnectWebSocketRoute", "$connect"],
      ["DisconnectWebSocketRoute", "$disconnect"],
      ["DefaultWebSocketRoute", "$default"],
      ["CustomSendMessageWebSocketRoute", "sendMessage"],
    ]);
    assert.equal(props(t, "TalkWebSocketIntegration").IntegrationType, "AWS_PROXY");
    assert.match(
      JSON.stringify(props(t, "TalkWebSocketIntegration").IntegrationUri),
      /2015-03-31\/functions\//,
    );
    assert.deepEqual(props(t, "WebSocketApiStage"), {
      ApiId: { Ref: "WebSocketApi" },
      StageName: "live",
      AutoDeploy: true,
    });
    assert.deepEqual(props(t, "TalkWebSocketApiPermission").SourceArn, execute(`\${WebSocketApi}/*`));
  });

  test("outputs the API's own endpoint with the stage, and the callback URL of the management API", async () => {
    const t = await synth();
    assert.deepEqual(t.Outputs.WebSocketUrl?.Value, {
      "Fn::Join": ["", [{ "Fn::GetAtt": ["WebSocketApi", "ApiEndpoint"] }, "/live"]],
    });
    assert.deepEqual(t.Outputs.WebSocketCallbackUrl?.Value, {
      "Fn::Sub": `https://\${WebSocketApi}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/live`,
    });
  });

  test("functions its routes invoke may manage the API's connections at its stage; others may not", async () => {
    const t = await synth();
    const manage = statement(t, "TalkRole", "ManageWebSocketConnections");
    assert.deepEqual(manage.Action, ["execute-api:ManageConnections"]);
    assert.deepEqual(manage.Resource, [
      execute(`\${WebSocketApi}/live/POST/@connections/*`),
      execute(`\${WebSocketApi}/live/GET/@connections/*`),
      execute(`\${WebSocketApi}/live/DELETE/@connections/*`),
    ]);
    assert.doesNotMatch(JSON.stringify(props(t, "ItemsRole")), /ManageConnections/);
  });

  test("renaming a route key changes only that route's logical ID", async () => {
    const before = await synth();
    const renamed = structuredClone(APP) as { websocket: { routes: Record<string, string> } };
    delete renamed.websocket.routes.sendMessage;
    renamed.websocket.routes.postMessage = "talk";
    const after = await synth(renamed as unknown as Definition);
    const gone = Object.keys(before.Resources).filter((id) => !(id in after.Resources));
    const added = Object.keys(after.Resources).filter((id) => !(id in before.Resources));
    assert.deepEqual(gone, ["CustomSendMessageWebSocketRoute"]);
    assert.deepEqual(added, ["CustomPostMessageWebSocketRoute"]);
  });
});

describe("synth: the API and async template as a whole", () => {
  test("every resource is valid against AWS's resource schemas", async () => {
    assert.deepEqual(await validateTemplate(await synth()), []);
  });

  test("no wildcard action and no needless wildcard resource", async () => {
    assert.deepEqual(checkTemplatePolicies(await synth()), []);
  });

  test("describe draws async destinations and the dead-letter queue", () => {
    const graph = appGraph(normaliseApp(APP, {}));
    const edges = graph.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`);
    assert.ok(edges.includes("function:worker -on-success-> queue:done"), edges.join("\n"));
    assert.ok(edges.includes("function:worker -on-failure-> function:cleanup"));
    assert.ok(edges.includes("function:worker -dead-letter-> dlq:discarded"));
    assert.ok(edges.includes("route:http:GET /ping -invokes-> function:status"));
    assert.ok(edges.includes("route:websocket:sendMessage -invokes-> function:talk"));
  });
});
