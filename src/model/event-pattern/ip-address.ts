/**
 * IP addresses as EventBridge reads them: an IPv4 dotted quad or an IPv6 literal (no zone, no
 * embedded IPv4), turned into upper-case hex of its 4 or 16 bytes so that ranges compare as
 * strings of equal length.
 */
const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** True when the text has the shape of an address, whether or not it is a valid one. */
export function looksLikeIp(text: string): boolean {
  return IPV4.test(text) || IPV6.test(text);
}

/** The hex form of an address, or undefined when `text` is not a valid IPv4/IPv6 literal. */
export function ipToHex(text: string): string | undefined {
  if (IPV4.test(text)) return ipv4Hex(text);
  if (IPV6.test(text)) return ipv6Hex(text);
  return undefined;
}

function ipv4Hex(text: string): string | undefined {
  let hex = "";
  for (const part of text.split(".")) {
    const n = Number(part);
    if (part.length > 3 || n > 255) return undefined;
    hex += byteHex(n);
  }
  return hex;
}

function ipv6Hex(text: string): string | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): string[] | undefined => {
    if (half === undefined || half === "") return [];
    const list = half.split(":");
    return list.every((g) => g.length >= 1 && g.length <= 4) ? list : undefined;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array.from({ length: missing }, () => "0"), ...tail];
  return all.map((g) => g.padStart(4, "0").toUpperCase()).join("");
}

function byteHex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}

/** Bytes of a hex address, for applying a mask. */
export function hexToBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

export function bytesToHex(bytes: readonly number[]): string {
  return bytes.map(byteHex).join("");
}
