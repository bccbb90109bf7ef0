/**
 * How S3 writes an object key into an event notification: URL-encoded as an HTML form encodes it
 * (application/x-www-form-urlencoded: a space becomes `+`, a `+` becomes `%2B`), except that `/`
 * stays as it is. Key name filters are compared with this form of the key, which is why S3 asks
 * for a space in a prefix or suffix to be written `+`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
 */

/** Bytes left as they are: the form encoding's unreserved set (letters, digits, `.-_*`), and `/`. */
const KEPT = /[A-Za-z0-9.\-_*/]/;

export function eventKey(key: string): string {
  let out = "";
  for (const char of key) {
    if (char === " ") out += "+";
    else if (KEPT.test(char)) out += char;
    else
      for (const byte of Buffer.from(char, "utf8"))
        out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
