/** What a client may ask for: the post restricts queries to a list of countries in its frontend. */
export interface Query {
  readonly country: string;
}

/** The query in a request body, or a message saying what is wrong with it. */
export function parseQuery(body: string | undefined, base64: boolean | undefined): Query | string {
  let value: unknown;
  try {
    value = JSON.parse(base64 ? Buffer.from(body ?? "", "base64").toString("utf8") : (body ?? ""));
  } catch {
    return 'expected a JSON body: {"country": "France"}';
  }
  const country = (value as { country?: unknown } | null)?.country;
  if (typeof country !== "string" || !/^[A-Za-z][A-Za-z .'-]{1,55}$/.test(country)) {
    return 'expected {"country": "<a country name, 2 to 56 letters>"}';
  }
  return { country };
}
