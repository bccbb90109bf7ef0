import type { ExecutionTimeline } from "../../local/execution-operations.ts";
import { APP_OPTIONS, appDir, type Command } from "../command.ts";
import { withConnection } from "../connect.ts";
import { bold, dim, type Output, table } from "../output.ts";
import { UsageError } from "../usage-error.ts";
import { duration, isFailure, offset, red, shortDetails, statesOf, statusText } from "./execution-format.ts";

export const executionCommand: Command = {
  name: "execution",
  summary: "show one Step Functions execution's history as a timeline",
  help: [
    "Usage: sluice execution <arn> [options]",
    "",
    "The execution (its ARN, or its name when only one execution has it), then each event of its",
    "history: the time since the execution started, the state, AWS's event type and a few words",
    "of its details. Failures are highlighted. --json prints the execution and its events as the",
    "engine holds them (dates in epoch milliseconds).",
    "",
    "Options:",
    "  --dir DIR  the app's folder",
    "  --json     print as JSON",
  ].join("\n"),
  positionals: 1,
  options: { ...APP_OPTIONS },
  async run(args, output) {
    const arn = args.positionals[0];
    if (arn === undefined)
      throw new UsageError("give the execution's ARN (sluice executions lists them)", "execution");
    return withConnection(appDir(args), { needsCode: false }, async ({ ops }) => {
      const timeline = await ops.execution(arn);
      if (args.values.json) output.out(JSON.stringify(timeline, null, 2));
      else for (const line of formatTimeline(output, timeline)) output.out(line);
      return 0;
    });
  },
};

function formatTimeline(output: Output, { execution, events }: ExecutionTimeline): string[] {
  const end = execution.stopDate;
  const lines = [
    `${bold(output, execution.name)}  ${statusText(output, execution.status)}`,
    dim(output, execution.executionArn),
    `started ${new Date(execution.startDate).toISOString()}${end === undefined ? ", running" : `, took ${duration(end - execution.startDate)}`}`,
  ];
  if (execution.error !== undefined || execution.cause !== undefined) {
    lines.push(red(output, `error ${[execution.error, execution.cause].filter(Boolean).join(": ")}`));
  }
  if (execution.output !== undefined) lines.push(`output ${clip(execution.output)}`);
  lines.push("");
  if (events.length === 0) return [...lines, dim(output, "no history events")];
  const states = statesOf(events);
  const rows = events.map((event) => [
    offset(event.timestamp - execution.startDate),
    states.get(event.id) ?? "-",
    event.type,
    shortDetails(event),
  ]);
  // Laid out first, coloured after: escape codes inside cells would throw the columns off.
  const [header = "", ...body] = table([["TIME", "STATE", "EVENT", "DETAILS"], ...rows]).split("\n");
  const highlighted = body.map((line, i) => (events[i] && isFailure(events[i]) ? red(output, line) : line));
  return [...lines, header, ...highlighted];
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
