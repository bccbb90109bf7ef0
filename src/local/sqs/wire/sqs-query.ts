/**
 * SQS over the AWS query protocol, what older SDKs and CLIs send (Debian's awscli 2.9): form
 * parameters in, XML out. Parameters are converted to the JSON protocol's members and the
 * action's JSON output back to XML, so both protocols run the same actions.
 */
import type { ServerResponse } from "node:http";
import {
  asString,
  dataMap,
  element,
  field,
  indexed,
  own,
  type QueryNode,
  type QueryTree,
  sendQueryError,
  sendQueryResponse,
  text,
} from "../../wire/index.ts";
import type { SqsCall } from "./action.ts";
import { sqsAction } from "./action-table.ts";
import type { Json } from "./input.ts";

export const SQS_XMLNS = "http://queue.amazonaws.com/doc/2012-11-05/";

/** Flattened lists: query name → JSON member. */
const LISTS: Readonly<Record<string, string>> = {
  AttributeName: "AttributeNames",
  MessageAttributeName: "MessageAttributeNames",
  MessageSystemAttributeName: "MessageSystemAttributeNames",
  TagKey: "TagKeys",
};
const ENTRIES = new Set([
  "SendMessageBatchRequestEntry",
  "DeleteMessageBatchRequestEntry",
  "ChangeMessageVisibilityBatchRequestEntry",
]);
/** Flattened maps: query name → [JSON member, key name, value name]. */
const MAPS: Readonly<Record<string, readonly [string, string, string]>> = {
  Attribute: ["Attributes", "Name", "Value"],
  Tag: ["Tags", "Key", "Value"],
  MessageAttribute: ["MessageAttributes", "Name", "Value"],
  MessageSystemAttribute: ["MessageSystemAttributes", "Name", "Value"],
};
const NO_RESULT = new Set([
  "DeleteMessage",
  "DeleteQueue",
  "PurgeQueue",
  "SetQueueAttributes",
  "TagQueue",
  "UntagQueue",
  "ChangeMessageVisibility",
]);

export async function handleSqsQuery(tree: QueryTree, call: SqsCall, res: ServerResponse): Promise<void> {
  const name = asString(field(tree, "Action")) ?? "";
  try {
    const input = toJson(tree);
    // CreateQueue's tags are `tags` in JSON (the model's member name), `Tag.N` on the query wire.
    if (name === "CreateQueue" && input.Tags !== undefined) {
      input.tags = input.Tags;
      delete input.Tags;
    }
    const output = await sqsAction(name)(input, call);
    const result = NO_RESULT.has(name) ? undefined : toXml(name, output);
    sendQueryResponse(res, name, SQS_XMLNS, result, call.requestId);
  } catch (error) {
    call.reportBug(error);
    sendQueryError(res, error, call.requestId, SQS_XMLNS);
  }
}

/** Wire names stay keys of null-prototype maps here too (see query-params.ts). */
function toJson(node: QueryTree): Json {
  const out = dataMap<unknown>();
  for (const [key, value] of Object.entries(node)) {
    if (key === "Action" || key === "Version") continue;
    const list = own(LISTS, key);
    const map = own(MAPS, key);
    if (list !== undefined) out[list] = indexed(value).map((v) => asString(v) ?? "");
    else if (ENTRIES.has(key))
      out.Entries = indexed(value).map((v) => toJson(typeof v === "string" ? {} : v));
    else if (map !== undefined) out[map[0]] = mapToJson(value, map[1], map[2]);
    else if (typeof value === "string") out[key] = value;
  }
  return out;
}

function mapToJson(node: QueryNode | undefined, keyName: string, valueName: string): Json {
  const out = dataMap<unknown>();
  for (const entry of indexed(node)) {
    const key = asString(field(entry, keyName));
    if (key === undefined) continue;
    const value = field(entry, valueName);
    out[key] = typeof value === "object" ? Object.assign(dataMap<QueryNode>(), value) : (value ?? "");
  }
  return out;
}

/** XML names of list members and map entries in responses (the service model's flattened names). */
const LIST_ELEMENTS: Readonly<Record<string, string>> = {
  Messages: "Message",
  QueueUrls: "QueueUrl",
  queueUrls: "QueueUrl",
  Results: "ListMessageMoveTasksResultEntry",
  Failed: "BatchResultErrorEntry",
};
const SUCCESS_ELEMENTS: Readonly<Record<string, string>> = {
  SendMessageBatch: "SendMessageBatchResultEntry",
  DeleteMessageBatch: "DeleteMessageBatchResultEntry",
  ChangeMessageVisibilityBatch: "ChangeMessageVisibilityBatchResultEntry",
};
const MAP_ELEMENTS: Readonly<Record<string, readonly [string, string, string]>> = {
  Attributes: ["Attribute", "Name", "Value"],
  Tags: ["Tag", "Key", "Value"],
  MessageAttributes: ["MessageAttribute", "Name", "Value"],
};

function toXml(action: string, value: Json): string {
  let xml = "";
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    const map = own(MAP_ELEMENTS, key);
    if (Array.isArray(member)) {
      const name =
        key === "Successful" ? (own(SUCCESS_ELEMENTS, action) ?? key) : (own(LIST_ELEMENTS, key) ?? key);
      for (const item of member) {
        xml +=
          typeof item === "object" && item !== null
            ? element(name, toXml(action, item as Json))
            : text(name, String(item));
      }
    } else if (map !== undefined && typeof member === "object") {
      for (const [k, v] of Object.entries(member as Json)) {
        const inner =
          typeof v === "object" && v !== null
            ? element(map[2], toXml(action, v as Json))
            : text(map[2], String(v));
        xml += element(map[0], text(map[1], k) + inner);
      }
    } else if (typeof member === "object") {
      xml += element(key, toXml(action, member as Json));
    } else {
      xml += text(key, member as string | number | boolean);
    }
  }
  return xml;
}
