import { defineApp } from "sluice";

/**
 * Poll to push (AWS Compute Blog, "From Poll to Push: Transform APIs using Amazon API Gateway REST
 * APIs and WebSockets"): `POST /queries` starts an execution of the `query` state machine and
 * answers with its ARN and the task token of its OpenConnection task; the client opens the
 * WebSocket API and sends that token; `socket` completes OpenConnection with SendTaskSuccess (the
 * connection is the task's output); RunQuery writes the result to the `results` bucket in a
 * parallel branch; when both are done, IssueCallback posts a presigned URL of the result to the
 * connection through `@connections`. A client that left early makes the post fail with 410
 * GoneException, which the definition catches into its `ClientGone` Fail state.
 */
export default defineApp({
  name: "poll-to-push",
  defaults: { runtime: "nodejs22.x", memorySize: 256, timeout: "30 seconds" },
  tables: {
    // The task token of each execution's OpenConnection task, for `start` to answer with.
    tokens: { partitionKey: { name: "executionArn", type: "S" }, ttl: "expiresAt" },
  },
  buckets: {
    // Query results, read by the client through a presigned URL.
    results: {},
  },
  stateMachines: {
    query: { definition: "src/query.asl.json", type: "STANDARD" },
  },
  functions: {
    start: {
      handler: "src/start.handler",
      http: "POST /queries",
      permissions: [
        { actions: ["states:StartExecution"], resources: ["stateMachine:query"] },
        { actions: ["dynamodb:GetItem"], resources: ["table:tokens"] },
      ],
    },
    register: {
      handler: "src/register.handler",
      permissions: [{ actions: ["dynamodb:PutItem"], resources: ["table:tokens"] }],
    },
    "run-query": {
      handler: "src/run-query.handler",
      permissions: [{ actions: ["s3:PutObject"], resources: ["bucket:results/results/*"] }],
    },
    // The WebSocket side: completes OpenConnection when a client sends its token, and delivers the
    // result (IssueCallback). One function, because the functions a WebSocket route invokes are the
    // ones granted the API's `@connections` (execute-api:ManageConnections), narrowed to its stage.
    socket: {
      handler: "src/socket.handler",
      permissions: [
        { actions: ["states:SendTaskSuccess"], resources: ["stateMachine:query"] },
        { actions: ["s3:GetObject"], resources: ["bucket:results/results/*"] },
      ],
    },
  },
  websocket: { routes: { $default: "socket" } },
});
