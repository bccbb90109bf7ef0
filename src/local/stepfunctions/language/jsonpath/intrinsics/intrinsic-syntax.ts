/**
 * The syntax of an intrinsic function invocation
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html):
 * `States.Name(arg, ...)` where an argument is another invocation, a string literal in single
 * quotes, a number, `true`/`false`/`null`, or a path (`$.x`, `$$.x`, `$name.x`). In a literal,
 * `\'`, `\{`, `\}` and `\\` stand for the character; any other backslash is an open escape, which
 * AWS refuses. Invocations nest at most `LIMITS.stepFunctionsIntrinsics.nesting.max` deep.
 */
import { LIMITS } from "../../../../../model/limits.ts";
import { StatesError } from "../../states-error.ts";

/** A part of a string literal: text, or a `{}` placeholder that was not escaped (States.Format). */
export type LiteralPart = string | { readonly placeholder: true };

export type IntrinsicNode =
  | { readonly kind: "call"; readonly name: string; readonly args: readonly IntrinsicNode[] }
  | { readonly kind: "string"; readonly value: string; readonly parts: readonly LiteralPart[] }
  | { readonly kind: "value"; readonly value: number | boolean | null }
  | { readonly kind: "path"; readonly path: string };

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;
const NAME = /^States\.[A-Za-z0-9]+/;
const parsedCalls = new Map<string, IntrinsicNode>();

export function isIntrinsic(text: string): boolean {
  return text.startsWith("States.");
}

/** Parses one invocation; throws States.IntrinsicFailure for anything malformed. */
export function parseIntrinsic(text: string): IntrinsicNode {
  const cached = parsedCalls.get(text);
  if (cached) return cached;
  const parser = new Parser(text);
  parser.skipSpace();
  const node = parser.call(1);
  parser.skipSpace();
  if (!parser.done()) throw parser.fail("unexpected text after the invocation");
  parsedCalls.set(text, node);
  return node;
}

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  skipSpace(): void {
    while (this.text[this.at] === " " || this.text[this.at] === "\t" || this.text[this.at] === "\n")
      this.at++;
  }

  fail(why: string): StatesError {
    return new StatesError(
      "States.IntrinsicFailure",
      `Invalid intrinsic function invocation '${this.text}': ${why} at position ${this.at}`,
    );
  }

  call(depth: number): IntrinsicNode {
    if (depth > LIMITS.stepFunctionsIntrinsics.nesting.max) {
      throw this.fail(`intrinsic functions nest at most ${LIMITS.stepFunctionsIntrinsics.nesting.max} deep`);
    }
    const name = NAME.exec(this.text.slice(this.at))?.[0];
    if (!name) throw this.fail("expected a States.<Function> name");
    this.at += name.length;
    this.skipSpace();
    if (this.text[this.at] !== "(") throw this.fail("expected '('");
    this.at++;
    const args: IntrinsicNode[] = [];
    this.skipSpace();
    if (this.text[this.at] === ")") {
      this.at++;
      return { kind: "call", name, args };
    }
    for (;;) {
      this.skipSpace();
      args.push(this.argument(depth));
      this.skipSpace();
      const c = this.text[this.at];
      this.at++;
      if (c === ")") return { kind: "call", name, args };
      if (c !== ",") throw this.fail("expected ',' or ')'");
    }
  }

  private argument(depth: number): IntrinsicNode {
    const rest = this.text.slice(this.at);
    if (rest.startsWith("States.")) return this.call(depth + 1);
    if (rest.startsWith("'")) return this.string();
    if (rest.startsWith("$")) return this.path();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (rest.startsWith(word) && !/[A-Za-z0-9_]/.test(rest[word.length] ?? "")) {
        this.at += word.length;
        return { kind: "value", value };
      }
    }
    const number = NUMBER.exec(rest)?.[0];
    if (number) {
      this.at += number.length;
      return { kind: "value", value: Number(number) };
    }
    throw this.fail("expected an argument");
  }

  private string(): IntrinsicNode {
    this.at++;
    const parts: LiteralPart[] = [];
    let text = "";
    let value = "";
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) throw this.fail("unterminated string literal");
      if (c === "'") break;
      if (c === "\\") {
        const escaped = this.text[this.at + 1];
        if (escaped !== "'" && escaped !== "{" && escaped !== "}" && escaped !== "\\") {
          throw this.fail("open escape '\\' in a string literal");
        }
        text += escaped;
        value += escaped;
        this.at += 2;
      } else if (c === "{" && this.text[this.at + 1] === "}") {
        parts.push(text, { placeholder: true });
        text = "";
        value += "{}";
        this.at += 2;
      } else {
        text += c;
        value += c;
        this.at++;
      }
    }
    this.at++;
    parts.push(text);
    return { kind: "string", value, parts };
  }

  /** A path runs to the next `,` or `)` outside brackets and quotes. */
  private path(): IntrinsicNode {
    const start = this.at;
    let depth = 0;
    let quote: string | undefined;
    while (this.at < this.text.length) {
      const c = this.text[this.at] as string;
      if (quote) {
        if (c === "\\") this.at++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === "[" || c === "(") depth++;
      else if (c === "]" || c === ")") {
        if (depth === 0) break;
        depth--;
      } else if ((c === "," || c === " ") && depth === 0) break;
      this.at++;
    }
    return { kind: "path", path: this.text.slice(start, this.at) };
  }
}
