/** Page sizes and FilterLogEvents' opaque next tokens (a position in time and ingestion order). */
import { invalidParameter } from "./errors.ts";

export function pageLimit(limit: number | undefined, max: number, name: string): number {
  if (limit === undefined) return max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw invalidParameter(
      `1 validation error detected: Value '${limit}' at '${name}' failed to satisfy constraint: Member must have value between 1 and ${max}`,
    );
  }
  return limit;
}

export interface EventPosition {
  readonly timestamp: number;
  readonly id: number;
}

export function encodeToken(position: EventPosition): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

export function decodeToken(token: string): EventPosition {
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<EventPosition>;
    if (typeof value.timestamp === "number" && typeof value.id === "number") {
      return { timestamp: value.timestamp, id: value.id };
    }
  } catch {
    // falls through to the error AWS gives for a token it did not issue
  }
  throw invalidParameter("The specified nextToken is invalid.");
}

export function parseStreamToken(token: string): { direction: "f" | "b"; id: number } {
  const match = /^([fb])\/(\d+)$/.exec(token);
  if (!match) throw invalidParameter("The specified nextToken is invalid.");
  return { direction: match[1] as "f" | "b", id: Number(match[2]) };
}

export function streamToken(direction: "f" | "b", id: number): string {
  return `${direction}/${String(Math.max(0, id)).padStart(20, "0")}`;
}

export function encodeName(name: string): string {
  return Buffer.from(name, "utf8").toString("base64url");
}

export function decodeName(token: string): string {
  return Buffer.from(token, "base64url").toString("utf8");
}
