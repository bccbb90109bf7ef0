/**
 * Reads a target's input option: a constant, a JSON path into the event, or an input transformer
 * (paths map and template), each within EventBridge's limits.
 */
import type { EventTargetInput } from "../events.ts";
import { PREDEFINED_VARIABLES, undefinedPlaceholders } from "../input-transformer.ts";
import { LIMITS } from "../limits.ts";
import { checkKeys, type Fields, type Issues, join, readObject, readString } from "./values.ts";

const E = LIMITS.events;

/** undefined: the whole event; null: invalid (an issue is recorded). */
export function readInput(issues: Issues, path: string, fields: Fields): EventTargetInput | undefined | null {
  const given = (["input", "inputPath", "inputTransformer"] as const).filter((k) => fields[k] !== undefined);
  if (given.length > 1) {
    issues.add(
      path,
      given,
      `a target takes at most one of input, inputPath and inputTransformer; it has ${given.join(" and ")}`,
      "one of them, or none",
      `keep ${given[0]}`,
    );
    return null;
  }
  if (fields.input !== undefined) {
    const json = JSON.stringify(fields.input);
    if (json.length <= E.input.max) return { kind: "constant", json };
    issues.add(
      join(path, "input"),
      fields.input,
      `input is ${json.length} characters of JSON`,
      `at most ${E.input.max}`,
      "use a smaller constant",
    );
    return null;
  }
  if (fields.inputPath !== undefined) {
    const p = readString(issues, join(path, "inputPath"), fields.inputPath, `inputPath: "$.detail"`);
    if (p === undefined) return null;
    return checkJsonPath(issues, join(path, "inputPath"), p) ? { kind: "path", path: p } : null;
  }
  if (fields.inputTransformer === undefined) return undefined;
  return readTransformer(issues, join(path, "inputTransformer"), fields.inputTransformer);
}

function readTransformer(issues: Issues, path: string, value: unknown): EventTargetInput | null {
  const fields = readObject(
    issues,
    path,
    value,
    `inputTransformer: { inputPathsMap: { id: "$.detail.id" }, inputTemplate: '{"id": <id>}' }`,
  );
  if (fields === undefined) return null;
  checkKeys(issues, path, fields, ["inputPathsMap", "inputTemplate"]);
  const template = readString(
    issues,
    join(path, "inputTemplate"),
    fields.inputTemplate,
    `inputTemplate: '{"id": <id>}'`,
  );
  const mapPath = join(path, "inputPathsMap");
  const raw =
    fields.inputPathsMap === undefined
      ? {}
      : readObject(issues, mapPath, fields.inputPathsMap, `inputPathsMap: { id: "$.detail.id" }`);
  if (raw === undefined || template === undefined) return null;
  let ok = true;
  const entries = Object.entries(raw);
  if (entries.length > E.inputPathsMap.max) {
    issues.add(
      mapPath,
      entries.length,
      `inputPathsMap has ${entries.length} entries`,
      `at most ${E.inputPathsMap.max}`,
      "pick fewer values",
    );
    ok = false;
  }
  const map: Record<string, string> = {};
  for (const [key, p] of entries) {
    if (key.startsWith("aws.")) {
      issues.add(
        join(mapPath, key),
        key,
        `"${key}" starts with "aws.", which EventBridge reserves for its predefined variables`,
        "a name not starting with aws.",
        "rename it",
      );
      ok = false;
    }
    const text = readString(issues, join(mapPath, key), p, `${key}: "$.detail.${key}"`);
    if (text === undefined || !checkJsonPath(issues, join(mapPath, key), text)) ok = false;
    else map[key] = text;
  }
  if (template.length > E.inputTemplate.max) {
    issues.add(
      join(path, "inputTemplate"),
      template.length,
      "inputTemplate is too long",
      `at most ${E.inputTemplate.max} characters`,
      "shorten it",
    );
    ok = false;
  }
  if (!checkPlaceholders(issues, join(path, "inputTemplate"), template, raw)) ok = false;
  return ok ? { kind: "transformer", inputPathsMap: map, inputTemplate: template } : null;
}

/**
 * Every `<name>` in the template must be a key of inputPathsMap or a predefined variable: PutTargets
 * (and so CloudFormation) refuses a template whose placeholder is defined nowhere, rather than
 * delivering it as literal text.
 */
function checkPlaceholders(
  issues: Issues,
  path: string,
  template: string,
  map: Record<string, unknown>,
): boolean {
  const unknown = undefinedPlaceholders(template, map);
  if (unknown.length === 0) return true;
  issues.add(
    path,
    template,
    `inputTemplate uses ${unknown.map((n) => `<${n}>`).join(", ")}, which inputPathsMap does not define`,
    `placeholders named in inputPathsMap, or ${[...PREDEFINED_VARIABLES].map((n) => `<${n}>`).join(", ")}`,
    `add ${unknown[0]}: "$.detail.${unknown[0]}" to inputPathsMap, or remove the placeholder`,
  );
  return false;
}

function checkJsonPath(issues: Issues, path: string, text: string): boolean {
  if (/^\$(\.[^.[\]]+|\[\d+\])*$/.test(text)) return true;
  issues.add(
    path,
    text,
    `"${text}" is not a JSON path Sluice can follow`,
    `"$", then .field or [index] steps, e.g. "$.detail.id"`,
    `write e.g. "$.detail"`,
  );
  return false;
}
