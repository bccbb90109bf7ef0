import type { AttributeValue } from "@aws-sdk/client-dynamodb";

/** The one item of the `hello` table, as the article creates it by hand in the console. */
export const HELLO_KEY: Record<string, AttributeValue> = { HelloKey: { S: "Hello" } };

/** What `GET /hello` answers before anyone has written a greeting. */
export const DEFAULT_GREETING = "Hello from ";

/** The item `PUT /hello` writes: the greeting, and the region that took the write. */
export function greetingItem(greeting: string, region: string): Record<string, AttributeValue> {
  return { ...HELLO_KEY, Hello: { S: greeting }, WrittenIn: { S: region } };
}

/** The greeting a request's body carries: its text, trimmed of a final newline, at most 200 characters. */
export function parseGreeting(body: string): string | undefined {
  const text = body.replace(/\r?\n$/, "");
  return text.length > 0 && text.length <= 200 ? text : undefined;
}
