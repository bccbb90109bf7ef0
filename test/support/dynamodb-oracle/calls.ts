/**
 * One call of the differential suite and what a target answered. A call names a DynamoDB action
 * and its input exactly as `@aws-sdk/client-dynamodb` takes it; `QueryAll` and `ScanAll` page with
 * LastEvaluatedKey until the end (at most MAX_PAGES) and answer every page.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";

// biome-ignore lint/suspicious/noExplicitAny: each command takes its own input type; calls are data.
type AnyCommand = new (input: any) => any;

const COMMANDS: Record<string, AnyCommand> = {
  BatchGetItem: BatchGetItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
  CreateTable: CreateTableCommand,
  DeleteItem: DeleteItemCommand,
  DeleteTable: DeleteTableCommand,
  DescribeTable: DescribeTableCommand,
  DescribeTimeToLive: DescribeTimeToLiveCommand,
  GetItem: GetItemCommand,
  ListTables: ListTablesCommand,
  PutItem: PutItemCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
  TransactGetItems: TransactGetItemsCommand,
  TransactWriteItems: TransactWriteItemsCommand,
  UpdateItem: UpdateItemCommand,
  UpdateTable: UpdateTableCommand,
  UpdateTimeToLive: UpdateTimeToLiveCommand,
};

export type Action = keyof typeof COMMANDS | "QueryAll" | "ScanAll";

export interface OracleCall {
  readonly action: Action;
  readonly input: Readonly<Record<string, unknown>>;
  /** Why the call is in the suite (hand-picked calls), or the generator's step. */
  readonly note: string;
  /**
   * What DynamoDB Local must answer, when the author knows: "ok", or an error's code. The suite
   * first checks these against DynamoDB Local, so a wrong belief about AWS shows up as such.
   */
  readonly expect?: string;
  /**
   * The order of the answer's items is not specified by DynamoDB (Scan; a Query on a global index
   * whose sort key ties): items are compared as a sorted list and page boundaries are ignored.
   */
  readonly unordered?: boolean;
}

export type Outcome =
  | { readonly ok: unknown }
  | { readonly error: { readonly name: string; readonly message: string; readonly details?: unknown } };

/** The most pages a QueryAll/ScanAll follows (a guard against a target that never ends). */
const MAX_PAGES = 50;

export async function runCall(client: DynamoDBClient, call: OracleCall): Promise<Outcome> {
  try {
    if (call.action === "QueryAll" || call.action === "ScanAll") return { ok: await allPages(client, call) };
    const Command = COMMANDS[call.action];
    if (!Command) throw new Error(`no command for ${call.action}`);
    return { ok: await client.send(new Command(call.input)) };
  } catch (error) {
    return { error: describe(error) };
  }
}

/** Every page; a ScanAll with TotalSegments and no Segment reads every segment in turn. */
async function allPages(client: DynamoDBClient, call: OracleCall): Promise<unknown[]> {
  const Command: AnyCommand = call.action === "QueryAll" ? QueryCommand : ScanCommand;
  const segments =
    call.action === "ScanAll" && call.input.TotalSegments !== undefined && call.input.Segment === undefined
      ? Array.from({ length: Number(call.input.TotalSegments) }, (_, Segment) => ({ Segment }))
      : [{}];
  const pages: Record<string, unknown>[] = [];
  for (const segment of segments) {
    let start: unknown;
    let read = 0;
    do {
      const input = {
        ...call.input,
        ...segment,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      };
      const page = (await client.send(new Command(input))) as unknown as Record<string, unknown>;
      pages.push(page);
      start = page.LastEvaluatedKey;
      read++;
    } while (start !== undefined && read < MAX_PAGES);
  }
  return pages;
}

function describe(error: unknown): { name: string; message: string; details?: unknown } {
  if (!(error instanceof Error)) return { name: "NotAnError", message: String(error) };
  const fields = error as unknown as Record<string, unknown>;
  // What DynamoDB adds to some errors: why each transaction item failed, the item a failed
  // condition saw (ReturnValuesOnConditionCheckFailure).
  const details: Record<string, unknown> = {};
  for (const key of ["CancellationReasons", "Item"])
    if (fields[key] !== undefined) details[key] = fields[key];
  const status = (fields.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode;
  if (status !== undefined) details.httpStatusCode = status;
  return { name: error.name, message: error.message, details };
}
