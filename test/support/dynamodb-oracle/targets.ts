/**
 * The two sides of the differential suite, each an `@aws-sdk/client-dynamodb` client: DynamoDB
 * Local (the oracle) over HTTP, and Sluice's DynamoDbService in this process behind a request
 * handler that does what DynamoDB's wire does (the x-amz-target action, the JSON body, errors as
 * `__type` and `message` beside the error's own fields), so the same SDK calls, serialisation and
 * error parsing meet both.
 */
import { createRequire } from "node:module";
import type { AddressInfo, Server } from "node:net";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import Database from "better-sqlite3";
import { DevSession } from "../../../src/dev/dev-session.ts";
import { SystemClock } from "../../../src/local/clock/index.ts";
import { DynamoDbService } from "../../../src/local/dynamodb/dynamodb-service.ts";
import type { ItemChange } from "../../../src/local/dynamodb/streams/item-change.ts";
import { AwsError } from "../../../src/model/errors.ts";
import { ROOT } from "../cli-process.ts";
import { startDynamoDbLocal } from "../dynamodb-local.ts";
import { clientConfig } from "../endpoint.ts";
import { copyApp } from "../temp.ts";

export interface OracleTarget {
  readonly name: string;
  readonly client: DynamoDBClient;
  /** A DynamoDB Streams client for the same service, where it has one. */
  readonly streams?: DynamoDBStreamsClient;
  close(): Promise<void>;
}

const ORACLE_APP = join(ROOT, "test", "fixtures", "apps", "oracle");

/** Sluice as a user's script meets it: `sluice dev` of an app without tables, on its endpoint. */
export async function sluiceEndpointTarget(): Promise<OracleTarget> {
  const app = copyApp(ORACLE_APP);
  const session = await DevSession.start({ dir: app.dir, watch: false });
  const config = clientConfig(session.url);
  const client = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  return {
    name: "Sluice (sluice dev endpoint)",
    client,
    streams,
    async close() {
      client.destroy();
      streams.destroy();
      await session.close();
      app.cleanup();
    },
  };
}

export async function dynamoDbLocalTarget(): Promise<OracleTarget> {
  const local = await startDynamoDbLocal();
  const client = local.client();
  const streams = new DynamoDBStreamsClient({
    endpoint: local.url,
    region: "us-east-1",
    credentials: { accessKeyId: "oracle", secretAccessKey: "oracle" },
    maxAttempts: 1,
  });
  return {
    name: "DynamoDB Local",
    client,
    streams,
    async close() {
      client.destroy();
      streams.destroy();
      await local.stop();
    },
  };
}

/**
 * dynalite (a Node.js DynamoDB whose error texts its authors checked against the live service) in
 * this process on 127.0.0.1: the suite asks it only when Sluice and DynamoDB Local word one error
 * differently, as a witness of AWS's own wording (known-differences.ts).
 */
export async function dynaliteTarget(): Promise<OracleTarget> {
  const dynalite = createRequire(import.meta.url)("dynalite") as (options: Record<string, number>) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "oracle", secretAccessKey: "oracle" },
    maxAttempts: 1,
  });
  return {
    name: "dynalite",
    client,
    async close() {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Request {
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** What `execute` answered, as DynamoDB's JSON protocol carries it. */
function respond(service: DynamoDbService, request: Request): { statusCode: number; body: string } {
  const action = (request.headers["x-amz-target"] ?? "").replace(/^DynamoDB_20120810\./, "");
  try {
    const body =
      request.body instanceof Uint8Array
        ? new TextDecoder().decode(request.body)
        : String(request.body ?? "{}");
    const input = JSON.parse(body) as Record<string, unknown>;
    return { statusCode: 200, body: JSON.stringify(service.execute(action, input) ?? {}) };
  } catch (error) {
    if (error instanceof AwsError) {
      const fields = (error as unknown as { fields?: Record<string, unknown> }).fields ?? {};
      const type = `com.amazonaws.dynamodb.v20120810#${error.code}`;
      return {
        statusCode: error.statusCode,
        body: JSON.stringify({ __type: type, message: error.message, ...fields }),
      };
    }
    // A bug in the engine: the suite shows it as the answer, with its stack on stderr.
    console.error(`DynamoDbService threw on ${action}:`, error);
    const message = error instanceof Error ? error.message : String(error);
    return {
      statusCode: 500,
      body: JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message }),
    };
  }
}

/** Sluice's engine on an in-memory SQLite database; `changes` are what it handed its stream sink. */
export function sluiceInProcessTarget(): OracleTarget & { readonly changes: ItemChange[] } {
  const db = new Database(":memory:");
  const changes: ItemChange[] = [];
  const service = new DynamoDbService({
    db,
    clock: new SystemClock(),
    region: "us-east-1",
    accountId: "000000000000",
    streams: { record: (change) => changes.push(change) },
  });
  const client = new DynamoDBClient({
    endpoint: "http://127.0.0.1:1",
    region: "us-east-1",
    credentials: { accessKeyId: "oracle", secretAccessKey: "oracle" },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: Request) {
        const { statusCode, body } = respond(service, request);
        const headers = { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "sluice" };
        return { response: { statusCode, headers, body: new TextEncoder().encode(body) } };
      },
    },
  });
  return {
    name: "Sluice (DynamoDbService in process)",
    client,
    changes,
    async close() {
      client.destroy();
      db.close();
    },
  };
}
