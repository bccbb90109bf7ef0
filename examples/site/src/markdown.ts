/**
 * A small Markdown renderer, dependency-free so the function's bundle stays a few kilobytes:
 * headings, paragraphs, emphasis, inline code, fenced code, links, lists, quotes and rules.
 * Everything from the source is HTML-escaped, and a link's target must be http(s), mailto or
 * relative: a post cannot put script into the site.
 */

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A link target that cannot run code: http(s), mailto, or a relative URL without a scheme. */
function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  // Any other scheme (javascript:, data:, vbscript:, ...) is refused; "a/b:c" is relative.
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return undefined;
  return trimmed;
}

/** Inline markup of one block's text: code spans first, so nothing inside them is interpreted. */
export function renderInline(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) =>
      part.startsWith("`") && part.endsWith("`") && part.length > 1
        ? `<code>${escapeHtml(part.slice(1, -1))}</code>`
        : renderSpans(part),
    )
    .join("");
}

/** A link: `[label](target)`, the target may hold one level of balanced parentheses. */
const LINK = /\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)/g;

/** Links first, on the raw text (so a target is checked as written), then emphasis on escaped text. */
function renderSpans(text: string): string {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const [whole, label = "", target = ""] = match;
    html += renderEmphasis(text.slice(last, match.index));
    const safe = safeHref(target);
    html +=
      safe === undefined
        ? renderEmphasis(label)
        : `<a href="${escapeHtml(safe)}">${renderEmphasis(label)}</a>`;
    last = match.index + whole.length;
  }
  return html + renderEmphasis(text.slice(last));
}

function renderEmphasis(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>")
    .replace(/(^|\W)_([^_\s][^_]*)_(?=\W|$)/g, "$1<em>$2</em>");
}

type Block =
  | { kind: "heading"; level: number; text: string }
  | { kind: "paragraph"; lines: string[] }
  | { kind: "code"; language: string; lines: string[] }
  | { kind: "list"; ordered: boolean; items: string[] }
  | { kind: "quote"; lines: string[] }
  | { kind: "rule" };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;

function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const fence = /^```\s*([\w-]*)\s*$/.exec(line);
    if (fence) {
      const code: string[] = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ""); i++) code.push(lines[i] ?? "");
      blocks.push({ kind: "code", language: fence[1] ?? "", lines: code });
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: "heading", level: heading[1]?.length ?? 1, text: heading[2] ?? "" });
    } else if (RULE.test(line)) {
      blocks.push({ kind: "rule" });
    } else if (BULLET.test(line) || NUMBERED.test(line)) {
      const ordered = !BULLET.test(line);
      const pattern = ordered ? NUMBERED : BULLET;
      const items: string[] = [];
      for (; i < lines.length && pattern.test(lines[i] ?? ""); i++) {
        items.push(pattern.exec(lines[i] ?? "")?.[1] ?? "");
      }
      blocks.push({ kind: "list", ordered, items });
      continue;
    } else if (line.startsWith(">")) {
      const quoted: string[] = [];
      for (; i < lines.length && (lines[i] ?? "").startsWith(">"); i++) {
        quoted.push((lines[i] ?? "").replace(/^>\s?/, ""));
      }
      blocks.push({ kind: "quote", lines: quoted });
      continue;
    } else if (line.trim() !== "") {
      const paragraph: string[] = [];
      for (; i < lines.length && startsParagraphLine(lines[i] ?? ""); i++) paragraph.push(lines[i] ?? "");
      blocks.push({ kind: "paragraph", lines: paragraph });
      continue;
    }
    i++;
  }
  return blocks;
}

/** A paragraph runs until a blank line or the start of another kind of block. */
function startsParagraphLine(line: string): boolean {
  return (
    line.trim() !== "" &&
    !HEADING.test(line) &&
    !line.startsWith("```") &&
    !line.startsWith(">") &&
    !BULLET.test(line) &&
    !NUMBERED.test(line) &&
    !RULE.test(line)
  );
}

/** The HTML of a Markdown document's body. */
export function renderMarkdown(source: string): string {
  return parseBlocks(source)
    .map((block) => {
      switch (block.kind) {
        case "heading":
          return `<h${block.level}>${renderInline(block.text)}</h${block.level}>`;
        case "paragraph":
          return `<p>${renderInline(block.lines.map((l) => l.trim()).join(" "))}</p>`;
        case "code": {
          const language = block.language ? ` class="language-${escapeHtml(block.language)}"` : "";
          return `<pre><code${language}>${escapeHtml(block.lines.join("\n"))}</code></pre>`;
        }
        case "list": {
          const tag = block.ordered ? "ol" : "ul";
          return `<${tag}>${block.items.map((item) => `<li>${renderInline(item)}</li>`).join("")}</${tag}>`;
        }
        case "quote":
          return `<blockquote>${renderMarkdown(block.lines.join("\n"))}</blockquote>`;
        case "rule":
          return "<hr>";
      }
      return "";
    })
    .join("\n");
}

/** The text of the document's first heading, if it has one in its first lines. */
export function titleOf(source: string): string | undefined {
  for (const line of source.replace(/\r\n?/g, "\n").split("\n")) {
    const heading = HEADING.exec(line);
    if (heading) return heading[2];
  }
  return undefined;
}
