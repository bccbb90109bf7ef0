/**
 * Text for a stack operation's progress, pure so both forms are testable: plain lines for logs
 * and CI (`time  LogicalId  Type  STATUS  reason`, one per event), and a live view for a
 * terminal (one line per resource, its latest status, redrawn in place).
 */
import type { StackEventRow } from "./deploy-events.ts";

/** `12:03:04  OrdersQueue  AWS::SQS::Queue  CREATE_COMPLETE` (UTC), with the reason when there is one. */
export function plainEventLine(event: StackEventRow): string {
  const time = event.timestamp.toISOString().slice(11, 19);
  const parts = [time, event.logicalId, event.type, event.status];
  if (event.reason) parts.push(event.reason);
  return parts.join("  ");
}

export class LiveView {
  private readonly rows = new Map<string, StackEventRow>();
  private drawn = 0;

  private readonly width: number;

  /**
   * @param width terminal columns: longer lines are cut, since a wrapped line would break the
   * redraw; 0 (a terminal that reports no size) cuts nothing
   */
  constructor(
    private readonly title: string,
    width = Number.POSITIVE_INFINITY,
  ) {
    this.width = width > 0 ? width : Number.POSITIVE_INFINITY;
  }

  update(event: StackEventRow): void {
    this.rows.set(event.logicalId, event);
  }

  /** The view as lines: a title, then one line per resource in the order they first appeared. */
  lines(): string[] {
    const rows = [...this.rows.values()];
    const width = Math.max(0, ...rows.map((r) => r.logicalId.length));
    const typeWidth = Math.max(0, ...rows.map((r) => r.type.length));
    const lines = [
      this.title,
      ...rows.map((r) => {
        const line = `${symbol(r.status)} ${r.logicalId.padEnd(width)}  ${r.type.padEnd(typeWidth)}  ${r.status}`;
        return r.reason && r.status.endsWith("_FAILED") ? `${line}  ${r.reason}` : line;
      }),
    ];
    return lines.map((line) =>
      line.length > this.width ? `${line.slice(0, Math.max(1, this.width - 1))}…` : line,
    );
  }

  /**
   * What to write to redraw the view in place: cursor up over the previous drawing, clear to the
   * end of the screen, then the new lines (the caller adds the final newline).
   */
  redraw(): string {
    const lines = this.lines();
    const prefix = this.drawn > 0 ? `\x1b[${this.drawn}A\x1b[J` : "";
    this.drawn = lines.length;
    return prefix + lines.join("\n");
  }
}

function symbol(status: string): string {
  if (status.endsWith("_FAILED")) return "✗";
  if (status.includes("ROLLBACK")) return "↺";
  if (status.endsWith("_COMPLETE")) return "✓";
  return "…";
}
