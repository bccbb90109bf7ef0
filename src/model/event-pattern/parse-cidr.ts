import { PatternError } from "./errors.ts";
import { bytesToHex, hexToBytes, ipToHex, looksLikeIp } from "./ip-address.ts";
import type { Matcher } from "./types.ts";

/**
 * `{"cidr": "10.0.0.0/24"}`. As in AWS's rule engine, the range runs from the address as
 * written to that address with every host bit set, and the mask must be below the address
 * width (at most /31 for IPv4, /127 for IPv6).
 */
export function parseCidr(value: unknown): Matcher {
  // AWS's compiler reuses the prefix message here.
  if (typeof value !== "string") throw new PatternError("prefix match pattern must be a string");
  const slashed = value.split("/");
  while (slashed.length > 1 && slashed[slashed.length - 1] === "") slashed.pop();
  if (slashed.length !== 2) throw new PatternError("Malformed CIDR, one '/' required");
  const [address = "", maskText = ""] = slashed;
  if (!/^[+-]?[0-9]+$/.test(maskText)) throw new PatternError("Malformed CIDR, mask bits must be an integer");
  const mask = Number(maskText);
  if (mask < 0) throw new PatternError("Malformed CIDR, mask bits must not be negative");
  const hex = ipToHex(address);
  if (hex === undefined) {
    throw new PatternError(`${looksLikeIp(address) ? "Invalid" : "Nonstandard"} IP address: ${address}`);
  }
  const bytes = hexToBytes(hex);
  if (bytes.length === 4 && mask > 31) throw new PatternError("IPv4 mask bits must be < 32");
  if (bytes.length === 16 && mask > 127) throw new PatternError("IPv6 mask bits must be < 128");
  let hostBits = bytes.length * 8 - mask;
  const top = [...bytes];
  for (let i = top.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    top[i] = (top[i] ?? 0) | (hostBits >= 8 ? 0xff : (1 << hostBits) - 1);
  }
  return { kind: "cidr", low: hex, high: bytesToHex(top) };
}
