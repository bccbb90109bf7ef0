/**
 * The id the local cloud gives an app's HTTP or WebSocket API: 10 lower-case letters and digits,
 * as API Gateway's ids are, derived from the app's name so URLs and ARNs stay the same between
 * runs. It lives in the model because local grants name the WebSocket API's `@connections` ARN.
 */

export type ApiKind = "http" | "websocket";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export function localApiId(app: string, kind: ApiKind): string {
  const key = `${app}:${kind}`;
  let id = "";
  // Two FNV-1a streams with different seeds give 10 well-mixed characters without node:crypto.
  for (const seed of [0x811c9dc5, 0x01000193]) {
    let h = seed;
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    for (let i = 0; i < 5; i++) {
      id += ALPHABET[h % ALPHABET.length];
      h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    }
  }
  return id;
}
