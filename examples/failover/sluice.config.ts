import { defineApp } from "sluice";

/**
 * The multi-region application from the failover article: one function behind a catch-all route
 * in two regions, a DynamoDB global table as the shared backend, and Route 53 health checks on the
 * function's `/health` route (a secret in the query, a share of deep pings that read the table, a
 * forced-failure switch) that move `api.example.com` from us-east-1 to us-west-2 when the primary
 * stops answering. `sluice dev` runs both regions, the checkers, a DNS server and a front door.
 */
export default defineApp({
  name: "failover",
  regions: { primary: "us-east-1", secondary: ["us-west-2"] },
  domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" },
  defaults: { runtime: "nodejs22.x", memorySize: 256, timeout: "10 seconds" },
  tables: {
    // The article's "prod.Hello" table: one item, HelloKey = "Hello", replicated to every region.
    hello: { partitionKey: { name: "HelloKey", type: "S" }, global: true },
  },
  functions: {
    api: {
      handler: "src/api.handler",
      // One function answers everything (the article's single Lambda with proxy integration).
      http: "ANY /{proxy+}",
      health: {
        path: "/health",
        // 10 % of pings also read the table, so a broken backend fails the region over too.
        deepCheck: "checkTable",
        deepPercent: 10,
        route53: { interval: "30 seconds", failureThreshold: 3, alarmEmail: "ops@example.com" },
      },
      permissions: [{ actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: ["table:hello"] }],
    },
  },
});
