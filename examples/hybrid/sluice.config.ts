import { defineApp } from "sluice";
import type { JobResponse } from "./src/jobs.ts";

/**
 * A hybrid topology (issue 19): the same functions served by Lambda and by a fleet of EC2
 * instances running `sluice serve` behind an Application Load Balancer. `api` answers HTTP
 * (`GET /hello`, `POST /jobs`, `GET /jobs/{id}`) and routes each accepted job to the `jobs`
 * queue; `worker` consumes it and stores the result in the `results` table. Route 53 answers
 * `api.example.com` with the Lambda API while its health check passes and with the fleet's load
 * balancer when it fails (`role: "failover"`); the fleet consumes `jobs` too, beside Lambda.
 * Every answer says who served it: `SLUICE_FLEET` is set only where `sluice serve` runs a function.
 */
export default defineApp({
  name: "hybrid",
  domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" },
  defaults: { runtime: "nodejs22.x", memorySize: 256, timeout: "10 seconds" },
  queues: {
    jobs: { visibilityTimeout: "60 seconds", deadLetter: { maxReceiveCount: 3 } },
  },
  tables: {
    results: { partitionKey: { name: "id", type: "S" } },
  },
  functions: {
    api: {
      handler: "src/api.handler",
      http: ["GET /hello", "POST /jobs", "GET /jobs/{id}"],
      // GET /health, answered inside the function; Route 53 pings it every 30 s and fails the
      // domain over to the fleet after 3 failed pings.
      health: { path: "/health", route53: { interval: "30 seconds", failureThreshold: 3 } },
      // An accepted job (202) goes to the `jobs` queue, whoever served the request.
      routes: (error, result: JobResponse) =>
        error || result.statusCode !== 202 ? [] : [{ to: "jobs", data: JSON.parse(result.body) }],
      routesTo: ["jobs"],
      permissions: [{ actions: ["dynamodb:GetItem"], resources: ["table:results"] }],
    },
    worker: {
      handler: "src/worker.handler",
      consumes: { queue: "jobs", batchSize: 10, reportBatchItemFailures: true },
      permissions: [{ actions: ["dynamodb:PutItem"], resources: ["table:results"] }],
    },
  },
  servers: {
    web: {
      functions: ["api", "worker"],
      platform: "ec2",
      instanceType: "t4g.small",
      minSize: 2,
      maxSize: 6,
      port: 8080,
      loadBalancer: true,
      role: "failover",
    },
  },
});
