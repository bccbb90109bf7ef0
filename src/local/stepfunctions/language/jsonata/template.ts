/**
 * A field that accepts JSONata: its value, or any value nested in its objects and arrays, that is
 * a JSONata string is replaced by the expression's result; every other value is literal.
 * https://states-language.net/spec.html#jsonata-evaluation
 */
import { type Evaluator, isJsonataString } from "./expression.ts";

/**
 * Evaluates `template` written in `field`. Nested fields are named as AWS names them in causes:
 * `/` before each object key, `[i]` after each array index (`Arguments/Input/pushLocation`,
 * `Output/a[0]`).
 */
export async function evaluateTemplate(
  template: unknown,
  evaluate: Evaluator,
  field: string,
): Promise<unknown> {
  if (isJsonataString(template)) return evaluate(template, field);
  if (Array.isArray(template)) {
    return Promise.all(template.map((item, index) => evaluateTemplate(item, evaluate, `${field}[${index}]`)));
  }
  if (template !== null && typeof template === "object") {
    const entries = await Promise.all(
      Object.entries(template).map(
        async ([key, value]) => [key, await evaluateTemplate(value, evaluate, `${field}/${key}`)] as const,
      ),
    );
    // fromEntries defines each key as data, so a key such as `__proto__` stays a plain field.
    return Object.fromEntries(entries);
  }
  return template;
}
