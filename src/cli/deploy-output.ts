/** How deploy, bootstrap, destroy and status show their progress and results. */
import {
  type ChangeSummary,
  type DeployEvent,
  type DeployListener,
  LiveView,
  plainEventLine,
  type ResourceDiff,
  type StackEventRow,
} from "../aws/deploy/index.ts";
import { atStakeLines } from "./aws-options.ts";
import type { Output } from "./output.ts";

export interface RenderOptions {
  /** Redraw one live view per stack; only with one region on a terminal. */
  readonly live: boolean;
  /** Prefix every line with the region (several regions deploy at once). */
  readonly prefixRegion: boolean;
  /** Print nothing while working (--json prints the result at the end). */
  readonly quiet: boolean;
}

export function progressRenderer(output: Output, options: RenderOptions): DeployListener {
  const views = new Map<string, LiveView>();
  return (event: DeployEvent) => {
    if (options.quiet) return;
    const prefix = options.prefixRegion ? `[${event.region}] ` : "";
    const say = (text: string) =>
      output.out(
        text
          .split("\n")
          .map((line) => prefix + line)
          .join("\n"),
      );
    switch (event.type) {
      case "artifacts":
        say(`artifacts: ${event.uploaded} uploaded, ${event.skipped} unchanged`);
        return;
      case "template":
        say(`template: ${event.bytes} bytes as ${event.via}`);
        return;
      case "change-set":
        say(`${event.stackName}: ${event.changeSetType === "CREATE" ? "new stack" : "changes"}`);
        say(diffLines(event.summary).join("\n"));
        return;
      case "no-changes":
        say(`${event.stackName}: no changes`);
        return;
      case "executing":
        if (options.live) newView(views, event.stackName, event.region);
        else say(`${event.stackName}: executing`);
        return;
      case "stack-event": {
        const view = options.live
          ? (views.get(event.stackName) ?? newView(views, event.stackName, event.region))
          : undefined;
        if (view) {
          view.update(event.event);
          output.out(view.redraw());
        } else say(plainEventLine(event.event));
        return;
      }
      case "functions-waiting":
        say(`waiting for ${event.pending.length} function(s) to be Active: ${event.pending.join(", ")}`);
        return;
      case "fleet-health":
        say(`fleet ${event.fleet}: ${event.healthy}/${event.wanted} healthy`);
        return;
      case "hook":
        say(`switchover hook: ${event.file}`);
        return;
      case "messages-moved":
        say(`moved ${event.moved} message(s) from the old ${event.logicalId} to the new one`);
        return;
      case "deleting-old-stack":
        say(`deleting the old stack ${event.stackName}`);
        return;
      case "rolled-back-stack":
        say(
          `${event.stackName}: ROLLBACK_COMPLETE${event.statusReason ? ` (${event.statusReason})` : ""}: its first deploy did not complete and was rolled back; it holds no resources and cannot be updated, only deleted`,
        );
        return;
      case "deleting-rolled-back-stack":
        say(`deleting ${event.stackName} so that this deploy can create it again`);
        return;
      case "phase":
        say(`${event.action} phase ${event.phase}${event.stackName ? `: ${event.stackName}` : ""}`);
        return;
      case "phase-stopped":
        say(
          `${event.action} phase ${event.phase} failed${event.skipped.length > 0 ? `; not run: ${event.skipped.join(", ")}` : ""}`,
        );
        return;
    }
  };
}

function newView(views: Map<string, LiveView>, stackName: string, region: string): LiveView {
  // A terminal that reports no size (0 columns, as under `script` or some CI ptys) gets 80.
  const view = new LiveView(`${stackName} (${region})`, process.stdout.columns || 80);
  views.set(stackName, view);
  return view;
}

/** `+ added`, `~ modified (properties)`, `± replaced`, `- removed`, each sorted by logical ID. */
export function diffLines(summary: ChangeSummary): string[] {
  const line = (mark: string, row: ResourceDiff) => {
    const props = row.properties.length > 0 ? ` (${row.properties.join(", ")})` : "";
    const conditional = row.conditional ? " [may be replaced]" : "";
    const loss = row.dataLoss ? `  ! loses ${row.dataLoss}` : "";
    return `  ${mark} ${row.logicalId}  ${row.type}${props}${conditional}${loss}`;
  };
  const lines = [
    ...summary.added.map((r) => line("+", r)),
    ...summary.modified.map((r) => line("~", r)),
    ...summary.replaced.map((r) => line("±", r)),
    ...summary.removed.map((r) => line("-", r)),
  ];
  const counts = `  ${summary.added.length} added, ${summary.modified.length} modified, ${summary.replaced.length} replaced, ${summary.removed.length} removed`;
  return [...lines, counts];
}

export function failureLines(failures: readonly StackEventRow[]): string[] {
  return failures.map((f) => `  ${f.logicalId} ${f.type}: ${f.status}${f.reason ? ` — ${f.reason}` : ""}`);
}

/** `name (region): STATUS — reason`: a stack's state after a command. */
export function stackStatusLine(
  stack: { readonly stackName: string; readonly status: string; readonly statusReason?: string | undefined },
  region: string,
): string {
  return `${stack.stackName} (${region}): ${stack.status}${stack.statusReason ? ` — ${stack.statusReason}` : ""}`;
}

/** `LogicalId  Type  physical-id`: one resource of a stack. */
export function resourceLine(resource: {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string | undefined;
}): string {
  return `${resource.logicalId}  ${resource.type}${resource.physicalId ? `  ${resource.physicalId}` : ""}`;
}

/** `fleet web  http://…  2/2 healthy`: each server fleet deploy waited on, with its URL. */
export function fleetLines(
  fleets: readonly {
    readonly fleet: string;
    readonly url?: string;
    readonly healthy: number;
    readonly wanted: number;
  }[],
): string[] {
  return fleets.map(
    (f) => `  fleet ${f.fleet}  ${f.url ?? "(no URL output)"}  ${f.healthy}/${f.wanted} healthy`,
  );
}

export function outputLines(outputs: Readonly<Record<string, string>>): string[] {
  const keys = Object.keys(outputs).sort();
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `  ${k.padEnd(width)}  ${outputs[k]}`);
}

export { atStakeLines };
