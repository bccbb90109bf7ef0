import { defineApp } from "sluice";

/**
 * The "recent best" roll-up from the reactive-apps article: each finished game is written to the
 * `games` table over HTTP (`POST /games`); `rollup` consumes the table's stream and keeps one
 * well-known item (`pk = "best"`) holding the ten best scores of the past hour, a materialised view
 * that `GET /best` reads with one GetItem. Games expire after an hour through the table's TTL.
 */
export default defineApp({
  name: "scores",
  defaults: { runtime: "nodejs22.x", memorySize: 256, timeout: "30 seconds" },
  queues: {
    // Where the stream mapping records a batch it gave up on (Lambda's on-failure destination).
    "failed-batches": { retention: "14 days" },
  },
  tables: {
    games: {
      partitionKey: { name: "pk", type: "S" },
      sortKey: { name: "sk", type: "N" },
      indexes: {
        byPlayer: {
          partitionKey: { name: "player", type: "S" },
          sortKey: { name: "score", type: "N" },
          projection: "all",
        },
      },
      stream: "NEW_AND_OLD_IMAGES",
      ttl: "expiresAt",
    },
  },
  functions: {
    finish: {
      handler: "src/finish.handler",
      http: "POST /games",
      permissions: [{ actions: ["dynamodb:PutItem"], resources: ["table:games"] }],
    },
    best: {
      handler: "src/best.handler",
      http: "GET /best",
      permissions: [{ actions: ["dynamodb:GetItem"], resources: ["table:games"] }],
    },
    rollup: {
      handler: "src/rollup.handler",
      consumes: {
        table: "games",
        batchSize: 100,
        startingPosition: "LATEST",
        // Up to 4 batches of one shard at once: the conditional write below keeps every score.
        parallelizationFactor: 4,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 3,
        onFailure: "failed-batches",
        reportBatchItemFailures: true,
        // Only new games: not the roll-up's own writes of "best", nor TTL's deletions.
        filters: [{ eventName: ["INSERT"], dynamodb: { Keys: { pk: { S: [{ prefix: "game#" }] } } } }],
      },
      permissions: [{ actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: ["table:games"] }],
    },
  },
});
