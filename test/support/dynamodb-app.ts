/**
 * A `sluice dev` session of the tables fixture app, in this process, on a real socket, with the
 * DynamoDB clients a user's script would point at it: `@aws-sdk/client-dynamodb`, its
 * DocumentClient (`@aws-sdk/lib-dynamodb`) and the Streams client.
 */
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import type { IamMode } from "../../src/local/endpoint/iam-guard.ts";
import { ROOT } from "./cli-process.ts";
import { clientConfig, copyAppWithSdk } from "./endpoint.ts";

export const TABLES_APP = join(ROOT, "test", "fixtures", "apps", "tables");
/** Physical names of the fixture's tables (`${app}-${name}`). */
export const GAMES = "tables-games";
export const NOTES = "tables-notes";

export interface TablesApp {
  readonly dir: string;
  readonly session: DevSession;
  readonly url: string;
  readonly events: DevEvent[];
  readonly dynamodb: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly streams: DynamoDBStreamsClient;
  /** Closes the session and its clients; keeps the folder unless `keep` is false. */
  close(options?: { keepDir?: boolean }): Promise<void>;
}

/** Starts `dev` on `dir` (a fresh copy of the fixture unless given). */
export async function startTablesApp(
  options: { dir?: string; iam?: IamMode; cleanup?: () => void } = {},
): Promise<TablesApp> {
  const copy = options.dir === undefined ? copyAppWithSdk(TABLES_APP) : undefined;
  const dir = options.dir ?? (copy as { dir: string }).dir;
  const events: DevEvent[] = [];
  const session = await DevSession.start({
    dir,
    watch: false,
    ...(options.iam ? { iam: options.iam } : {}),
    onEvent: (event) => events.push(event),
  });
  const config = clientConfig(session.url);
  const dynamodb = new DynamoDBClient(config);
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const streams = new DynamoDBStreamsClient(config);
  return {
    dir,
    session,
    url: session.url,
    events,
    dynamodb,
    documents,
    streams,
    async close({ keepDir = false } = {}) {
      documents.destroy();
      dynamodb.destroy();
      streams.destroy();
      await session.close();
      if (!keepDir) (copy?.cleanup ?? options.cleanup)?.();
    },
  };
}
