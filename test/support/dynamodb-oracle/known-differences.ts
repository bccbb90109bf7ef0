/**
 * Where Sluice answers a call of the suite differently from DynamoDB Local, on purpose. Each entry
 * says why; docs/fidelity.md ("DynamoDB against DynamoDB Local") lists the same. The suite fails on
 * any other difference, and on an entry no call needs any more.
 */
import type { OracleCall } from "./calls.ts";

export interface KnownDifference {
  readonly id: string;
  /** What differs. */
  readonly summary: string;
  /** Why Sluice keeps its answer (an AWS page, or a limit of DynamoDB Local). */
  readonly reason: string;
  /**
   * True when this call's answers (normalised) differ for this reason. `witness` is dynalite's
   * answer to the same call, given only to an entry that sets `needsWitness`.
   */
  matches(call: OracleCall, oracle: unknown, sluice: unknown, witness?: unknown): boolean;
  /** The entry needs dynalite's answer to the call (asked only when the two disagree). */
  readonly needsWitness?: boolean;
}

type Answer = { ok?: Record<string, unknown>; error?: { name?: string; message?: string } };
const errorCode = (answer: unknown) => (answer as Answer).error?.name;
const errorMessage = (answer: unknown) => (answer as Answer).error?.message;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A decimal string in DynamoDB's normal form for the small numbers the suite uses ("2.0" → "2"). */
function normalNumber(text: string): string {
  const value = Number(text);
  return Number.isSafeInteger(value) || Math.abs(value) < 1e15 ? String(value) : text;
}

/** A copy with every number set's elements in normal form (the `number-set-normal-form` entry). */
export function normalNumberSets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalNumberSets);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      key === "NS" && Array.isArray(field)
        ? [...field].map((n) => normalNumber(String(n))).sort()
        : normalNumberSets(field);
  }
  return out;
}

/**
 * A QueryAll/ScanAll answer without what a look-ahead changes: trailing empty pages, and the
 * LastEvaluatedKey of the last page left; every other page stays as it is.
 */
function withoutLastPageKey(answer: unknown): unknown {
  const pages = (answer as { ok?: unknown }).ok;
  if (!Array.isArray(pages)) return answer;
  const kept = pages.map((page) => ({ ...(page as Record<string, unknown>) }));
  const empty = (page: Record<string, unknown>) => page.Count === 0 && page.ScannedCount === 0;
  while (kept.length > 1 && empty(kept.at(-1) as Record<string, unknown>)) kept.pop();
  delete (kept.at(-1) as Record<string, unknown>).LastEvaluatedKey;
  return { ok: kept };
}

/** `sluice` with its table description's TableStatus set to `oracle`'s (a copy). */
function withOracleStatus(oracle: unknown, sluice: unknown): unknown {
  const status = (oracle as Answer).ok?.TableDescription as { TableStatus?: string } | undefined;
  const copy = JSON.parse(JSON.stringify(sluice)) as Answer;
  const description = copy.ok?.TableDescription as { TableStatus?: string } | undefined;
  if (description && status) description.TableStatus = status.TableStatus;
  return copy;
}

/**
 * Errors DynamoDB Local words in its own way (same code) where the live service's text is on
 * record, and Sluice answers the live service's text. dynalite cannot witness these: it answers
 * CreateTable's with an empty message and has no transactions.
 */
const QUOTED_AWS_TEXTS: readonly {
  readonly action: string;
  readonly code: string;
  readonly local: string;
  readonly aws: RegExp;
}[] = [
  // "ResourceInUseException) \"Table already exists: \"" from CreateTable on AWS:
  // https://github.com/joshsymonds/Dynamoid/issues/178
  {
    action: "CreateTable",
    code: "ResourceInUseException",
    local: "Cannot create preexisting table",
    aws: /^Table already exists: \S+$/,
  },
  // TransactWriteItems naming a table the region does not hold, on AWS (a live request id):
  // "ResourceNotFoundException ... Requested resource not found",
  // https://github.com/pynamodb/PynamoDB/issues/809
  {
    action: "TransactWriteItems",
    code: "ResourceNotFoundException",
    local: "Cannot do operations on a non-existent table",
    aws: /^Requested resource not found$/,
  },
  // DynamoDB Local answers the documented exception with the message "UnknownError"; AWS documents
  // the exception ("a change in other parameters within the 10-minute idempotency window",
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html)
  // and describes it as "you retried a request with a different payload but with an idempotent
  // token that was already used", which Sluice's message says.
  {
    action: "TransactWriteItems",
    code: "IdempotentParameterMismatchException",
    local: "UnknownError",
    aws: /^Request parameters do not match the request associated with the given ClientRequestToken$/,
  },
];

/**
 * A stream record's images as DynamoDB Local would render them if it typed an empty map: its
 * GetRecords writes an empty map attribute as `{}` (no type), though its GetItem answers the same
 * attribute as `{"M": {}}` (the `stream-untyped-empty-map` difference, applied by the streams test;
 * docs/fidelity.md). Sluice keeps the type: an AttributeValue sets "one, and only one, of the
 * elements" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_AttributeValue.html).
 */
export function typedEmptyMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(typedEmptyMaps);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = ["Keys", "NewImage", "OldImage"].includes(key)
      ? mapValues(field, typedAttribute)
      : typedEmptyMaps(field);
  }
  return out;
}

function mapValues(map: unknown, f: (value: unknown) => unknown): unknown {
  if (map === null || typeof map !== "object") return map;
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, f(value)]));
}

/** One attribute value, with `{}` read as the empty map it stands for, in maps and lists too. */
function typedAttribute(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Object.keys(value).length === 0) return { M: {} };
  const typed = value as { M?: unknown; L?: unknown };
  if (typed.M !== undefined) return { M: mapValues(typed.M, typedAttribute) };
  if (Array.isArray(typed.L)) return { L: typed.L.map(typedAttribute) };
  return value;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: "aws-quoted-wording",
    summary:
      'CreateTable on an existing table, TransactWriteItems on a missing table and a reused ClientRequestToken are refused with the same code; DynamoDB Local words them "Cannot create preexisting table", "Cannot do operations on a non-existent table" and "UnknownError", Sluice as the live service does.',
    reason:
      'The live service\'s texts as quoted from it: "Table already exists: <name>" (https://github.com/joshsymonds/Dynamoid/issues/178), "Requested resource not found" (https://github.com/pynamodb/PynamoDB/issues/809); the token\'s exception as documented in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html.',
    matches: (call, oracle, sluice) =>
      QUOTED_AWS_TEXTS.some(
        (text) =>
          call.action === text.action &&
          errorCode(oracle) === text.code &&
          errorCode(sluice) === text.code &&
          errorMessage(oracle) === text.local &&
          text.aws.test(errorMessage(sluice) ?? ""),
      ),
  },
  {
    id: "reserved-word-size",
    summary:
      '`SET size = :v` (the reserved word SIZE as an attribute name): DynamoDB Local accepts it; Sluice refuses it, "Attribute name is a reserved keyword; reserved keyword: size".',
    reason:
      "SIZE is a reserved word, and a reserved word used as an attribute name needs an expression attribute name (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html); dynalite, checked against the live service, refuses the call with the same text. The suite asks dynalite.",
    needsWitness: true,
    matches: (_call, oracle, sluice, witness) =>
      "ok" in (oracle as object) &&
      errorCode(sluice) === "ValidationException" &&
      /Attribute name is a reserved keyword; reserved keyword: size$/i.test(errorMessage(sluice) ?? "") &&
      errorCode(witness) === errorCode(sluice) &&
      errorMessage(witness) === errorMessage(sluice),
  },
  {
    id: "transient-table-status",
    summary:
      "CreateTable, UpdateTable and DeleteTable answer TableStatus CREATING, UPDATING and DELETING (ACTIVE on the next DescribeTable); DynamoDB Local answers ACTIVE at once.",
    reason:
      'CreateTable "immediately returns a response with a TableStatus of CREATING" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html); DynamoDB Local skips transient statuses unless started with -delayTransientStatuses (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html).',
    matches: (call, oracle, sluice) =>
      ["CreateTable", "UpdateTable", "DeleteTable"].includes(call.action) &&
      ["CREATING", "UPDATING", "DELETING"].includes(
        String(
          ((sluice as Answer).ok?.TableDescription as { TableStatus?: string } | undefined)?.TableStatus,
        ),
      ) &&
      same(oracle, withOracleStatus(oracle, sluice)),
  },
  {
    id: "aws-wording",
    summary:
      "Some errors are worded differently by DynamoDB Local (same error code): Sluice words them as the live service does.",
    reason:
      "DynamoDB Local's request validation has texts of its own (e.g. CreateTable's \"Hash Key not specified in Attribute Definitions.  Type unknown.\"); dynalite's tests were run against the live service, so where dynalite's text equals Sluice's, that text is AWS's (https://github.com/mhart/dynalite#readme). The suite asks dynalite for each such call.",
    needsWitness: true,
    matches: (_call, oracle, sluice, witness) =>
      errorCode(oracle) !== undefined &&
      errorCode(oracle) === errorCode(sluice) &&
      errorCode(witness) === errorCode(sluice) &&
      errorMessage(witness) === errorMessage(sluice),
  },
  {
    id: "aws-constraint-format",
    summary:
      "A request that breaks a constraint of the API's model (a length, a range, an enum) is refused as \"1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: <rule>\"; DynamoDB Local gives the rule alone, or its own text for table and index names.",
    reason:
      "The live service's wording, as quoted from it in https://github.com/scylladb/scylladb/pull/12608 (\"Value 'non!existent!table' at 'tableName' failed to satisfy constraint\") and https://github.com/mandarzope/loopback-connector-dynamodb/issues/5.",
    matches: (_call, oracle, sluice) => {
      const local = errorMessage(oracle) ?? "";
      const ours =
        /^1 validation error detected: Value .* at '([^']+)' failed to satisfy constraint: (.+)$/s.exec(
          errorMessage(sluice) ?? "",
        );
      if (
        !ours ||
        errorCode(oracle) !== "ValidationException" ||
        errorCode(sluice) !== "ValidationException"
      ) {
        return false;
      }
      const [, member = "", rule = ""] = ours;
      const names =
        /(^|\.)(tableName|indexName)$/.test(member) && local.startsWith("Invalid table/index name.");
      return local.includes(rule) || names;
    },
  },
  {
    id: "transaction-validation-cancels",
    summary:
      "In TransactWriteItems, an action that is invalid for its item (e.g. an update path into a missing map or list) cancels the transaction with a ValidationError reason; DynamoDB Local fails the whole request with a ValidationException of the same text.",
    reason:
      'DynamoDB cancels a transaction when "a similar validation error occurs because of changes made by the transaction" or "there is a user error, such as an invalid data format", with the ValidationError code in CancellationReasons (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).',
    matches: (call, oracle, sluice) => {
      if (call.action !== "TransactWriteItems" || errorCode(oracle) !== "ValidationException") return false;
      const details = (
        sluice as { error?: { details?: { CancellationReasons?: { Code?: string; Message?: string }[] } } }
      ).error?.details;
      return (
        errorCode(sluice) === "TransactionCanceledException" &&
        (details?.CancellationReasons ?? []).some(
          (r) => r.Code === "ValidationError" && r.Message === errorMessage(oracle),
        )
      );
    },
  },
  {
    id: "number-set-normal-form",
    summary:
      'A number set that ADD creates holds its numbers in normal form ("2.0" is stored as 2), as every other number; DynamoDB Local keeps the text it was given there (and only there).',
    reason:
      '"Leading and trailing zeroes are trimmed" from numbers (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html); DynamoDB Local trims them on PutItem and when ADD adds to an existing set.',
    matches: (_call, oracle, sluice) => same(normalNumberSets(oracle), normalNumberSets(sluice)),
  },
  {
    id: "last-page-lookahead",
    summary:
      "A Query or Scan whose Limit is reached on the last item it could return answers a LastEvaluatedKey (the next page is empty); DynamoDB Local sometimes looks ahead and leaves it out.",
    reason:
      "The Query reference allows both: LastEvaluatedKey may be present when no more items remain, and only its absence marks the end (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html).",
    matches: (call, oracle, sluice) =>
      (call.action === "QueryAll" || call.action === "ScanAll") &&
      same(normalNumberSets(withoutLastPageKey(oracle)), normalNumberSets(withoutLastPageKey(sluice))),
  },
  {
    id: "legacy-parameters",
    summary:
      'The legacy conditional parameters (Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter, AttributesToGet, ConditionalOperator) are refused by name: "Sluice\'s DynamoDB does not support the legacy parameter …; use … instead".',
    reason:
      "AWS keeps them for old applications and points to expressions instead (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html); Sluice implements the expression parameters only and says so.",
    matches: (_call, _oracle, sluice) =>
      errorCode(sluice) === "ValidationException" &&
      (errorMessage(sluice) ?? "").startsWith("Sluice's DynamoDB does not support the legacy parameter"),
  },
  {
    id: "ondemand-throughput",
    summary:
      "CreateTable with BillingMode PAY_PER_REQUEST and a ProvisionedThroughput: DynamoDB Local creates the table; Sluice refuses it (ValidationException).",
    reason:
      'AWS refuses it: ProvisionedThroughput "If you set BillingMode as PAY_PER_REQUEST, you cannot specify this property" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html).',
    matches: (call, oracle, sluice) =>
      call.action === "CreateTable" &&
      call.input.BillingMode === "PAY_PER_REQUEST" &&
      call.input.ProvisionedThroughput !== undefined &&
      "ok" in (oracle as object) &&
      errorCode(sluice) === "ValidationException",
  },
  {
    id: "stream-view-type-enum",
    summary:
      "CreateTable with a StreamViewType outside KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES: DynamoDB Local creates the table; Sluice refuses it (ValidationException).",
    reason:
      "StreamViewType is an enum of those four values (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html); AWS's request validation refuses other values.",
    matches: (call, oracle, sluice) => {
      const view = (call.input.StreamSpecification as { StreamViewType?: string } | undefined)
        ?.StreamViewType;
      return (
        call.action === "CreateTable" &&
        view !== undefined &&
        !["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"].includes(view) &&
        "ok" in (oracle as object) &&
        errorCode(sluice) === "ValidationException"
      );
    },
  },
];
