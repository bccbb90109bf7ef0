/** What the bucket configuration bodies share: S3's XML envelope, ids, and small readers. */
import { createHash, randomBytes } from "node:crypto";
import { LIMITS } from "../../../model/limits.ts";
import { text } from "../../wire/index.ts";
import { S3Error } from "../errors.ts";
import { childText, malformed, parseXml, type XmlNode } from "./xml-tree.ts";

const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
export type JsonObject = Record<string, unknown>;

export function rootNamed(body: Buffer, name: string): XmlNode {
  const root = parseXml(body);
  if (root.name !== name) throw malformed();
  return root;
}

export function positiveDays(value: string, action: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < LIMITS.s3.lifecycleDays.min) {
    throw new S3Error("InvalidArgument", {}, `'Days' for ${action} action must be a positive integer`);
  }
  return days;
}

export function fields(node: XmlNode, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = childText(node, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export function renderFields(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => text(name, value))
    .join("");
}

export function list(name: string, values: unknown): string {
  return Array.isArray(values) ? values.map((v) => text(name, String(v))).join("") : "";
}

export function doc(root: string, inner: string): string {
  return `${DECLARATION}<${root} xmlns="${XMLNS}">${inner}</${root}>`;
}

/** S3 makes up an id for a configuration or rule sent without one. */
export function randomId(): string {
  return randomBytes(18).toString("base64url");
}

/** An id for an entry stored without one (a template's or the definition's), the same on every GET. */
export function stableId(entry: JsonObject): string {
  return createHash("sha1").update(JSON.stringify(entry)).digest("hex").slice(0, 24);
}
