/**
 * Cutting text to a number of UTF-8 bytes without splitting a character: a cut payload must still
 * be valid text in the store and the console.
 */

/** `text` as it is when its UTF-8 fits in `maxBytes`, else its longest prefix that does. */
export function cutUtf8(text: string, maxBytes: number): { readonly text: string; readonly cut: boolean } {
  // At most 3 bytes per UTF-16 unit: most payloads need no encoding to know they fit.
  if (text.length * 3 <= maxBytes) return { text, cut: false };
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return { text, cut: false };
  let end = Math.max(0, maxBytes);
  // A continuation byte (10xxxxxx) belongs to the character that starts before it.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return { text: bytes.toString("utf8", 0, end), cut: true };
}
