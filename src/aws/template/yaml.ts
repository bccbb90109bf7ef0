/**
 * Writes a template as YAML: block style, two-space indent, intrinsic functions in their long
 * form (`Fn::GetAtt:`), which CloudFormation reads as it reads JSON. Strings that YAML could read
 * as something else (numbers, booleans, null, dates, anything with special characters) are
 * double-quoted with JSON escapes, which YAML's double-quoted style accepts.
 */
import type { TemplateValue } from "./template.ts";

export function toYaml(value: unknown): string {
  return `${lines(value as TemplateValue, 0).join("\n")}\n`;
}

function lines(value: TemplateValue, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (isCollection(item) && !isEmpty(item)) {
        const inner = lines(item, indent + 2);
        return [`${pad}- ${(inner[0] ?? "").trimStart()}`, ...inner.slice(1)];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) => {
      if (isCollection(item) && !isEmpty(item)) {
        return [`${pad}${quoteKey(key)}:`, ...lines(item, Array.isArray(item) ? indent : indent + 2)];
      }
      return [`${pad}${quoteKey(key)}: ${scalar(item)}`];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function scalar(value: TemplateValue): string {
  if (value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "[]";
  if (typeof value === "object") return "{}";
  return plainSafe(value) ? value : JSON.stringify(value);
}

function quoteKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_:.\-/]*$/.test(key) && !reserved(key) ? key : JSON.stringify(key);
}

/** A string YAML reads back as the same string when written bare. */
function plainSafe(text: string): boolean {
  if (text === "" || reserved(text)) return false;
  if (!/^[A-Za-z_/.$][A-Za-z0-9 _\-/.:$@()+,=]*$/.test(text)) return false;
  if (text.endsWith(" ") || text.includes(": ") || text.includes(" #") || text.endsWith(":")) return false;
  return !/^[0-9.+-]/.test(text);
}

function reserved(text: string): boolean {
  return /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|\.inf|\.nan)$/.test(
    text,
  );
}

function isObject(value: TemplateValue): value is { [key: string]: TemplateValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCollection(value: TemplateValue): boolean {
  return typeof value === "object" && value !== null;
}

function isEmpty(value: TemplateValue): boolean {
  return Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0;
}
