/** Pieces of a Lambda proxy response both payload formats read the same way. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function validStatus(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599
    ? value
    : undefined;
}

/** Header values may be strings, numbers or booleans; anything else is malformed. */
export function headerPairs(value: unknown): [string, string][] | undefined {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) return undefined;
  const pairs: [string, string][] = [];
  for (const name of Object.keys(value)) {
    const item = value[name];
    if (item === null || item === undefined) continue;
    if (typeof item === "object") return undefined;
    pairs.push([name, String(item)]);
  }
  return pairs;
}

/** The body as bytes; a body that is present must be a string. */
export function bodyOf(body: unknown, base64: unknown): Buffer | undefined {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== "string") return undefined;
  return base64 === true ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
}
