/**
 * What a target receives, as EventBridge builds it: the whole event, a constant (`Input`), a part
 * of the event (`InputPath`), or a template filled from the event (`InputTransformer`).
 */
import type { EventTargetInput } from "../../model/events.ts";
import type { PredefinedVariable } from "../../model/input-transformer.ts";
import type { EventBridgeEvent } from "./event-envelope.ts";
import { readJsonPath } from "./json-path.ts";

export interface InputContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  /** The time the event was matched (EventBridge's `aws.events.event.ingestion-time`). */
  readonly ingestionTime: string;
}

/** The target's payload text. */
export function targetInput(
  input: EventTargetInput | undefined,
  event: EventBridgeEvent,
  context: InputContext,
): string {
  if (input === undefined) return JSON.stringify(event);
  if (input.kind === "constant") return input.json;
  if (input.kind === "path") return JSON.stringify(readJsonPath(event, input.path) ?? null);
  return fillTemplate(input.inputTemplate, input.inputPathsMap, event, context);
}

/**
 * Placeholders are `<name>` (eb-transform-target-input). Inside a JSON template (one starting with
 * `{` or `[`) a value goes in as JSON, except inside quotes, where strings go in raw and an object
 * or array goes in without its internal quotes ("Common Issues with transforming input": so the
 * string stays valid). In a plain-text template strings go in raw and other values as JSON. A path
 * that selects nothing "isn't created and won't appear in the output": "" in text and in strings,
 * `null` where a JSON value is needed (see docs/fidelity.md). The predefined variables:
 * `aws.events.event` is the event without `detail`, `aws.events.event.json` the whole event.
 */
function fillTemplate(
  template: string,
  paths: Readonly<Record<string, string>>,
  event: EventBridgeEvent,
  context: InputContext,
): string {
  const { detail: _detail, ...withoutDetail } = event;
  const predefined: Readonly<Record<PredefinedVariable, unknown>> = {
    "aws.events.rule-arn": context.ruleArn,
    "aws.events.rule-name": context.ruleName,
    "aws.events.event.ingestion-time": context.ingestionTime,
    "aws.events.event": withoutDetail,
    "aws.events.event.json": event,
  };
  const json = /^\s*[{[]/.test(template);
  let out = "";
  let inString = false;
  let last = 0;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === "\\" && inString) {
      i++;
      continue;
    }
    if (ch === '"') inString = !inString;
    if (ch !== "<") continue;
    const end = template.indexOf(">", i);
    if (end < 0) break;
    const name = template.slice(i + 1, end);
    const known = Object.hasOwn(paths, name) || Object.hasOwn(predefined, name);
    if (!known) continue;
    const value = Object.hasOwn(paths, name)
      ? readJsonPath(event, paths[name] ?? "$")
      : predefined[name as PredefinedVariable];
    out += template.slice(last, i) + render(value, json, inString);
    last = end + 1;
    i = end;
  }
  return out + template.slice(last);
}

function render(value: unknown, json: boolean, inString: boolean): string {
  if (value === undefined) return json && !inString ? "null" : "";
  if (typeof value === "string") {
    if (inString) return JSON.stringify(value).slice(1, -1);
    return json ? JSON.stringify(value) : value;
  }
  const text = JSON.stringify(value);
  return inString ? text.replace(/"/g, "") : text;
}
