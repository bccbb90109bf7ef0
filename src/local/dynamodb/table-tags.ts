/**
 * TagResource, UntagResource and ListTagsOfResource on a table's ARN, and CreateTable's Tags.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html
 */
import { LIMITS } from "../../model/limits.ts";
import { type Engine, inTransaction, tableArn } from "./engine.ts";
import { constraint, DynamoDbError, validation } from "./errors.ts";
import { asObject, type Input, optList, optString, reqString } from "./input.ts";
import type { TableMeta } from "./table-meta.ts";

export function tagsOf(
  list: readonly unknown[],
  base: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const tags: Record<string, string> = Object.assign(Object.create(null) as object, base);
  for (const raw of list) {
    const tag = asObject(raw, "Tag");
    const key = optString(tag, "Key");
    const value = optString(tag, "Value");
    if (key === undefined) throw constraint("tags.member.key", undefined, "Member must not be null");
    if (value === undefined) throw constraint("tags.member.value", undefined, "Member must not be null");
    const keyRow = LIMITS.dynamodb.tagKeyLength;
    if (key.length < keyRow.min)
      throw constraint(
        "tags.member.key",
        key,
        `Member must have length greater than or equal to ${keyRow.min}`,
      );
    if (key.length > keyRow.max)
      throw constraint("tags.member.key", key, `Member must have length less than or equal to ${keyRow.max}`);
    const valueMax = LIMITS.dynamodb.tagValueLength.max;
    if (value.length > valueMax)
      throw constraint(
        "tags.member.value",
        value,
        `Member must have length less than or equal to ${valueMax}`,
      );
    tags[key] = value;
  }
  const maxTags = LIMITS.dynamodb.tagsPerResource.max;
  if (Object.keys(tags).length > maxTags) {
    throw new DynamoDbError(
      "LimitExceededException",
      `One or more parameter values were invalid: The number of tags exceeds the limit of ${maxTags}`,
    );
  }
  return tags;
}

/** The table a ResourceArn names, or AWS's not-found error. */
function tableOfArn(engine: Engine, arn: string): TableMeta {
  const name = /:table\/([^/]+)$/.exec(arn)?.[1];
  const table = name === undefined ? undefined : engine.tables.find(name);
  if (table === undefined || tableArn(engine, table.name) !== arn) {
    if (!arn.startsWith("arn:"))
      throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
    throw new DynamoDbError(
      "ResourceNotFoundException",
      `Requested resource not found: ResourcArn: ${arn} not found`,
    );
  }
  return table;
}

export function tagResource(engine: Engine, input: Input): unknown {
  const arn = reqString(input, "ResourceArn");
  const list = optList(input, "Tags");
  if (list === undefined) throw constraint("tags", undefined, "Member must not be null");
  return inTransaction(engine, () => {
    const table = tableOfArn(engine, arn);
    engine.tables.save({ ...table, tags: tagsOf(list, table.tags) });
    return {};
  });
}

export function untagResource(engine: Engine, input: Input): unknown {
  const arn = reqString(input, "ResourceArn");
  const keys = optList(input, "TagKeys");
  if (keys === undefined) throw constraint("tagKeys", undefined, "Member must not be null");
  return inTransaction(engine, () => {
    const table = tableOfArn(engine, arn);
    const tags: Record<string, string> = Object.assign(Object.create(null) as object, table.tags);
    for (const key of keys) delete tags[String(key)];
    engine.tables.save({ ...table, tags });
    return {};
  });
}

export function listTagsOfResource(engine: Engine, input: Input): unknown {
  const table = tableOfArn(engine, reqString(input, "ResourceArn"));
  return { Tags: Object.entries(table.tags).map(([Key, Value]) => ({ Key, Value })) };
}
