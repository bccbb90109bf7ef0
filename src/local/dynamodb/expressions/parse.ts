import { LIMITS } from "../../../model/limits.ts";
import type { ConditionNode, PathNode, UpdateClauseNode } from "./ast.ts";
import { type ExpressionKind, invalidExpression } from "./errors.ts";
import { SyntaxError as PeggySyntaxError, parse } from "./parser.generated.ts";

type StartRule = "Condition" | "Update" | "Projection";

/** The lexical tokens AWS names in its syntax errors (identifiers, placeholders, operators). */
const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|#[A-Za-z0-9_]*|:[A-Za-z0-9_]*|\d+|<>|<=|>=|\S/gy;

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function tokens(input: string): Token[] {
  const found: Token[] = [];
  let at = 0;
  while (at < input.length) {
    if (/\s/.test(input[at] as string)) {
      at += 1;
      continue;
    }
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(input);
    const text = match?.[0] ?? (input[at] as string);
    found.push({ text, start: at, end: at + text.length });
    at += text.length;
  }
  return found;
}

/**
 * AWS's syntax error: the token where parsing failed (`<EOF>` at the end) and the text from the
 * token before it through the token after it, e.g. `Syntax error; token: "=", near: "= = pk"` for
 * `pk = = pk`, and `token: ")", near: "()"` at the end (DynamoDB Local, which shares AWS's parser,
 * answers these texts: test/integration/local-dynamodb-oracle.test.ts).
 */
export function syntaxErrorDetail(input: string, offset: number): string {
  const all = tokens(input);
  const index = all.findIndex((token) => token.end > offset);
  if (index === -1) {
    const last = all.at(-1);
    return `Syntax error; token: "<EOF>", near: "${last?.text ?? ""}"`;
  }
  const token = all[index] as Token;
  const before = all[index - 1];
  const after = all[index + 1];
  return `Syntax error; token: "${token.text}", near: "${input.slice(before?.start ?? token.start, after?.end ?? token.end)}"`;
}

/**
 * Trees already parsed, by start rule and text. A client sends the same few expressions over and
 * over with different placeholder values (a Query's "pk = :pk"), and parsing was over a quarter
 * of a Query's engine time; a tree is pure syntax, so it is kept (frozen: whoever reads it cannot
 * change it for the next request). Only trees that parsed are kept, so refusals are worded as
 * before. The oldest entry goes first once the cache is full, bounding its memory (a few MB at
 * most: expressions are at most 4 KB).
 */
const parsedTrees = new Map<string, unknown>();
const PARSED_TREES_KEPT = 500;

function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  for (const member of Object.values(value)) deepFreeze(member);
  return Object.freeze(value);
}

function parseAs(kind: ExpressionKind, input: string, startRule: StartRule): unknown {
  const cacheKey = `${startRule}:${input}`;
  const cached = parsedTrees.get(cacheKey);
  if (cached !== undefined) return cached;
  const tree = deepFreeze(parseFresh(kind, input, startRule));
  if (parsedTrees.size >= PARSED_TREES_KEPT) parsedTrees.delete(parsedTrees.keys().next().value as string);
  parsedTrees.set(cacheKey, tree);
  return tree;
}

function parseFresh(kind: ExpressionKind, input: string, startRule: StartRule): unknown {
  if (input.trim() === "") throw invalidExpression(kind, "The expression can not be empty;");
  const size = Buffer.byteLength(input, "utf8");
  if (size > LIMITS.dynamodbExpressions.expressionLength.max) {
    throw invalidExpression(
      kind,
      `Expression size has exceeded the maximum allowed size; expression size: ${size}`,
    );
  }
  try {
    return parse(input, { startRule });
  } catch (error) {
    if (error instanceof PeggySyntaxError) {
      const { location } = error as unknown as { location: { start: { offset: number } } };
      throw invalidExpression(kind, syntaxErrorDetail(input, location.start.offset));
    }
    throw error;
  }
}

export function parseConditionTree(kind: ExpressionKind, input: string): ConditionNode {
  return parseAs(kind, input, "Condition") as ConditionNode;
}

export function parseUpdateTree(input: string): UpdateClauseNode[] {
  return parseAs("UpdateExpression", input, "Update") as UpdateClauseNode[];
}

export function parseProjectionTree(input: string): PathNode[] {
  return parseAs("ProjectionExpression", input, "Projection") as PathNode[];
}
