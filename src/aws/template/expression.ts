/**
 * Turns a text file (EC2 user data, a script, a config file) into one CloudFormation string
 * expression. The text may hold build-time values, `{{name}}`, filled from `values` (a string, or
 * a reference of its own), and references resolved at deploy time: `{{Ref:LogicalId}}` and
 * `{{GetAtt:LogicalId.Attribute}}`. `\{{` writes a literal `{{`.
 *
 * @example
 * templateExpression("aws s3 cp s3://{{Ref:ArtifactBucket}}/{{key}} app.zip", { key: "render.zip" })
 * // { "Fn::Join": ["", ["aws s3 cp s3://", { Ref: "ArtifactBucket" }, "/render.zip app.zip"]] }
 */
import { SluiceError } from "../../model/errors.ts";
import { getAtt, ref } from "./intrinsics.ts";
import type { TemplateValue } from "./template.ts";

export interface TemplateExpressionOptions {
  /**
   * `join`: `Fn::Join` of text and references. `sub`: one `Fn::Sub` string, easier to read in the
   * template; `${` in the text is escaped as `${!`.
   * @default "join"
   */
  readonly format?: "join" | "sub";
}

const PLACEHOLDER = /\\\{\{|\{\{\s*([^{}]*?)\s*\}\}/g;

export function templateExpression(
  text: string,
  values: Readonly<Record<string, TemplateValue>> = {},
  options: TemplateExpressionOptions = {},
): TemplateValue {
  const parts: TemplateValue[] = [];
  const push = (part: TemplateValue) => {
    const last = parts[parts.length - 1];
    if (typeof part === "string" && typeof last === "string") parts[parts.length - 1] = last + part;
    else if (part !== "") parts.push(part);
  };
  let at = 0;
  const missing: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    push(text.slice(at, match.index));
    at = (match.index ?? 0) + match[0].length;
    if (match[0] === "\\{{") {
      push("{{");
      continue;
    }
    const body = match[1] ?? "";
    const reference = resolve(body);
    if (reference !== undefined) push(reference);
    else if (body in values) push(values[body] as TemplateValue);
    else missing.push(body);
  }
  push(text.slice(at));
  if (missing.length > 0) {
    throw new SluiceError(
      "SLUICE_TEMPLATE_EXPRESSION",
      `the text uses ${missing.map((m) => `{{${m}}}`).join(", ")} but no value was given for ${
        missing.length === 1 ? "it" : "them"
      }; known values: ${Object.keys(values).join(", ") || "none"}. References are written {{Ref:Id}} or {{GetAtt:Id.Attribute}}.`,
      { context: { missing } },
    );
  }
  if (parts.length === 0) return "";
  if (parts.length === 1 && typeof parts[0] === "string") return parts[0];
  return options.format === "sub" ? asSub(parts) : { "Fn::Join": ["", parts] };
}

function resolve(body: string): TemplateValue | undefined {
  const refMatch = /^Ref:([A-Za-z0-9:]+)$/.exec(body);
  if (refMatch) return ref(refMatch[1] ?? "");
  const attMatch = /^GetAtt:([A-Za-z0-9]+)\.([A-Za-z0-9.]+)$/.exec(body);
  if (attMatch) return getAtt(attMatch[1] ?? "", attMatch[2] ?? "");
  return undefined;
}

/** Text parts escaped, references as `${Id}` / `${Id.Attr}`, anything else as a named variable. */
function asSub(parts: readonly TemplateValue[]): TemplateValue {
  let text = "";
  const variables: Record<string, TemplateValue> = {};
  for (const part of parts) {
    if (typeof part === "string") {
      text += part.replaceAll("${", "${!");
      continue;
    }
    const object = part as Record<string, TemplateValue>;
    if (typeof object.Ref === "string") text += `\${${object.Ref}}`;
    else if (Array.isArray(object["Fn::GetAtt"])) text += `\${${object["Fn::GetAtt"].join(".")}}`;
    else {
      const name = `Value${Object.keys(variables).length + 1}`;
      variables[name] = part;
      text += `\${${name}}`;
    }
  }
  return Object.keys(variables).length > 0 ? { "Fn::Sub": [text, variables] } : { "Fn::Sub": text };
}
