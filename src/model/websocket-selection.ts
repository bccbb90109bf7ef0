/**
 * WebSocket route selection expressions, in API Gateway's selection-expression language:
 * variables start with `$`, braces bound them (`${request.body.version}-beta`), `\$` is a literal
 * dollar, and evaluation happens once. Route selection may read only `request.body` fields.
 */

export type SelectionPart = { readonly literal: string } | { readonly field: readonly string[] };

export interface ParsedSelection {
  readonly parts: readonly SelectionPart[];
  readonly problem?: string;
}

const SOURCE = "request.body.";
const FIELD = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export function parseSelectionExpression(expression: string): ParsedSelection {
  const parts: SelectionPart[] = [];
  let literal = "";
  let i = 0;
  while (i < expression.length) {
    const char = expression[i];
    if (char === "\\" && expression[i + 1] === "$") {
      literal += "$";
      i += 2;
      continue;
    }
    if (char !== "$") {
      literal += char;
      i += 1;
      continue;
    }
    let variable: string;
    if (expression[i + 1] === "{") {
      const end = expression.indexOf("}", i + 2);
      if (end < 0) return { parts, problem: `the \${ at position ${i} is not closed with }` };
      variable = expression.slice(i + 2, end);
      i = end + 1;
    } else {
      const match = /^[A-Za-z0-9_.-]*/.exec(expression.slice(i + 1));
      variable = (match?.[0] ?? "").replace(/\.+$/, "");
      i += 1 + variable.length;
    }
    if (!variable.startsWith(SOURCE) || !FIELD.test(variable.slice(SOURCE.length))) {
      return {
        parts,
        problem: `"$${variable}" is not a request body field; route selection reads only $request.body.<field>`,
      };
    }
    if (literal !== "") parts.push({ literal });
    literal = "";
    parts.push({ field: variable.slice(SOURCE.length).split(".") });
  }
  if (literal !== "") parts.push({ literal });
  if (!parts.some((part) => "field" in part)) {
    return {
      parts,
      problem: "the expression reads no $request.body field, so every message would get one route",
    };
  }
  return { parts };
}

/**
 * The route key a message selects, or undefined when the expression cannot be evaluated (the
 * body is not JSON, or a field is missing or not a plain value): API Gateway then uses `$default`.
 */
export function selectRouteKey(parsed: ParsedSelection, body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  let key = "";
  for (const part of parsed.parts) {
    if ("literal" in part) {
      key += part.literal;
      continue;
    }
    let value: unknown = json;
    for (const name of part.field) {
      if (typeof value !== "object" || value === null) return undefined;
      value = (value as Record<string, unknown>)[name];
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
      return undefined;
    key += String(value);
  }
  return key;
}
