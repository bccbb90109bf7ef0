/** Just enough XML for AWS's query-protocol responses. */

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // A parser turns a raw CR into LF; SQS bodies keep it, so it is written as a reference.
  "\r": "&#xD;",
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c] ?? c);
}

/** `<name>escaped text</name>`; nothing for an absent value. */
export function text(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? "" : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>inner</name>`, where `inner` is XML already. */
export function element(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** A query-protocol response: `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`. */
export function queryResponse(
  action: string,
  xmlns: string,
  result: string | undefined,
  requestId: string,
): string {
  const body = result === undefined ? "" : element(`${action}Result`, result);
  return `<?xml version="1.0"?><${action}Response xmlns="${xmlns}">${body}${element(
    "ResponseMetadata",
    text("RequestId", requestId),
  )}</${action}Response>`;
}
