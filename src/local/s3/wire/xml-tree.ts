/**
 * A small XML reader for S3's configuration bodies (lifecycle, CORS, website, notification,
 * tagging, versioning, public access block): elements, text and the five entities plus character
 * references. Attributes (namespaces, `xsi:type`) are skipped; anything that is not well formed
 * is MalformedXML, as S3 answers it. Names are data: children are kept in arrays, never as object
 * properties, so an element called `__proto__` is a name like any other.
 */
import { S3Error } from "../errors.ts";

export interface XmlNode {
  readonly name: string;
  readonly children: XmlNode[];
  text: string;
}

export function parseXml(body: Buffer | string): XmlNode {
  const xml = (typeof body === "string" ? body : body.toString("utf8")).replace(/^\uFEFF/, "");
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let at = 0;
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
  while (at < xml.length) {
    const lt = xml.indexOf("<", at);
    const chunk = xml.slice(at, lt === -1 ? xml.length : lt);
    if (chunk.trim() !== "") {
      const top = stack.at(-1);
      if (!top) throw malformed();
      top.text += unescapeXml(chunk);
    }
    if (lt === -1) break;
    if (xml.startsWith("<?", lt)) {
      at = end(xml, "?>", lt);
      continue;
    }
    if (xml.startsWith("<!--", lt)) {
      at = end(xml, "-->", lt);
      continue;
    }
    if (xml.startsWith("<![CDATA[", lt)) {
      const close = end(xml, "]]>", lt);
      const top = stack.at(-1);
      if (!top) throw malformed();
      top.text += xml.slice(lt + 9, close - 3);
      at = close;
      continue;
    }
    tag.lastIndex = lt;
    const match = tag.exec(xml);
    if (!match) throw malformed();
    at = tag.lastIndex;
    const name = (match[2] as string).replace(/^[^:]*:/, "");
    if (match[1] === "/") {
      const open = stack.pop();
      if (!open || open.name !== name) throw malformed();
      continue;
    }
    const node: XmlNode = { name, children: [], text: "" };
    const parent = stack.at(-1);
    if (parent) parent.children.push(node);
    else if (root) throw malformed();
    else root = node;
    if (match[4] !== "/") stack.push(node);
  }
  if (!root || stack.length > 0) throw malformed();
  return root;
}

/** The first child called `name`. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text of the first child called `name`, or undefined. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const found = child(node, name);
  return found === undefined ? undefined : found.text.trim();
}

export function malformed(): S3Error {
  return new S3Error("MalformedXML");
}

function end(xml: string, close: string, from: number): number {
  const at = xml.indexOf(close, from);
  if (at === -1) throw malformed();
  return at + close.length;
}

/** The five entities and character references; one past Unicode's range is MalformedXML. */
export function unescapeXml(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (!entity.startsWith("#")) return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[entity] ?? "";
    const code = entity.startsWith("#x") ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    if (code > 0x10ffff) throw malformed();
    return String.fromCodePoint(code);
  });
}
