/**
 * `sluice dev` with server fleets (issue 19): the banner's line per fleet (its URL, what it serves,
 * its role behind the domain) and the fleets' log lines, tagged `[fleet <name>]` as Lambda's are
 * tagged with the function's name.
 */
import type { DevEvent } from "../dev/dev-session.ts";
import { dim, type Output, reportError } from "./output.ts";

/** The banner's lines for the fleets dev runs; none when the app has no `servers`. */
export function fleetBannerLines(output: Output, event: Extract<DevEvent, { type: "ready" }>): string[] {
  return (event.fleets ?? []).map((fleet) => {
    const role =
      fleet.role === undefined
        ? ""
        : fleet.role === "primary"
          ? "; primary behind the domain, Lambda stands by"
          : "; behind the domain when Lambda's health check fails";
    return `  fleet ${fleet.name.padEnd(11)} ${fleet.url}  ${dim(output, `(sluice serve of ${fleet.functions.join(", ")}${role})`)}`;
  });
}

/** Prints a fleet's event; false for any other event. */
export function printFleetEvent(output: Output, event: DevEvent): boolean {
  if (event.type === "fleet-failed") {
    output.err(`[fleet ${event.fleet}] did not start; Lambda keeps serving:`);
    reportError(output, event.error);
    return true;
  }
  if (event.type !== "fleet-log") return false;
  const { entry } = event;
  if (entry.level === "debug") return true;
  const tag = `[fleet ${event.fleet}${entry.function === undefined ? "" : ` ${entry.function}`}]`;
  let text: string;
  if (entry.event === "log") text = String(entry.message ?? "").replace(/\n$/, "");
  else if (entry.event === "request")
    text = `${String(entry.method)} ${String(entry.path)} → ${String(entry.status)} (${String(entry.ms)} ms)`;
  else text = `${entry.event}${entry.message === undefined ? "" : `: ${entry.message}`}`;
  const line = `${dim(output, tag)} ${text}`;
  if (entry.level === "error" || entry.level === "warn") output.err(line);
  else output.out(line);
  return true;
}
