import { DevSession, type DevEvent } from "../../dev/dev-session.ts";
import { type Command, appDir } from "../command.ts";
import { type Output, bold, dim, reportError } from "../output.ts";
import { UsageError } from "../usage-error.ts";

export const devCommand: Command = {
  name: "dev",
  summary: "run the app locally: functions, queues, routing; reloads on change",
  help: [
    "Usage: sluice dev [dir] [options]",
    "",
    "Runs the application in dir (default: the current folder) with its state in dir/.sluice/.",
    "Streams function logs and reloads on change. Ctrl-C stops it cleanly.",
    "",
    "Options:",
    "  --dir DIR            the app's folder (same as the positional dir)",
    "  --host HOST          address the control endpoint binds to (default 127.0.0.1)",
    "  --port PORT          port of the control endpoint (default: a free port)",
    "  --idle-timeout SECS  seconds an idle execution environment stays warm (default 600)",
    "  --no-watch           do not reload on file changes",
  ].join("\n"),
  options: {
    dir: { type: "string" },
    host: { type: "string" },
    port: { type: "string" },
    "idle-timeout": { type: "string" },
    "no-watch": { type: "boolean" },
  },
  async run(args, output) {
    const port = numberOption(args.values.port, "--port");
    const idle = numberOption(args.values["idle-timeout"], "--idle-timeout");
    const session = await DevSession.start({
      dir: appDir(args, args.positionals[0]),
      ...(typeof args.values.host === "string" ? { host: args.values.host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(idle !== undefined ? { idleTimeoutMs: idle * 1000 } : {}),
      watch: args.values["no-watch"] !== true,
      onEvent: (event) => printEvent(output, event),
    });
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        output.err(dim(output, "stopping…"));
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await session.close();
    return 0;
  },
};

function numberOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} takes a whole number; got "${String(value)}"`, "dev");
  return n;
}

function printEvent(output: Output, event: DevEvent): void {
  switch (event.type) {
    case "ready": {
      const { spec } = event;
      const fns = Object.values(spec.functions);
      const queues = Object.values(spec.queues);
      output.out(`${bold(output, `sluice dev: ${spec.name}`)} ready in ${event.startMs.toFixed(0)} ms`);
      output.out(`  control endpoint  ${event.url}`);
      for (const fn of fns) {
        const source = fn.consumes ? `consumes ${fn.consumes.queue}` : "invoked directly";
        const routes =
          fn.routes.kind === "targets"
            ? ` → ${fn.routes.targets.join(", ")}`
            : fn.routes.kind === "function"
              ? " → routing function"
              : "";
        output.out(`  function ${fn.name.padEnd(14)} ${dim(output, `${source}${routes}`)}`);
      }
      for (const q of queues) {
        const dlq = q.deadLetter
          ? ` → DLQ ${q.deadLetter.queue} after ${q.deadLetter.maxReceiveCount} receives`
          : "";
        output.out(
          `  queue    ${q.name.padEnd(14)} ${dim(output, `${q.queueName}${q.fifo ? " (FIFO)" : ""}${dlq}`)}`,
        );
      }
      return;
    }
    case "log":
      for (const line of event.line.text.replace(/\n$/, "").split("\n"))
        output.out(`${dim(output, `[${event.line.functionName}]`)} ${line}`);
      return;
    case "reloaded":
      output.out(
        dim(
          output,
          `reloaded${event.restarted ? " (definition changed: cloud restarted)" : ""} in ${event.ms.toFixed(0)} ms`,
        ),
      );
      return;
    case "reload-failed":
      output.err("reload failed; the previous code keeps serving:");
      reportError(output, event.error);
      return;
    case "retry-scheduled":
      output.err(
        `[${event.functionName}] async invoke ${event.requestId} failed (${event.reason}); retry ${event.attempt} at ${new Date(event.atMs).toISOString()}`,
      );
      return;
    case "dropped":
      output.err(`[${event.functionName}] async event ${event.requestId} dropped: ${event.reason}`);
      return;
    case "batch-failed":
      output.err(
        `[${event.functionName}] batch of ${event.messageIds.length} left for redelivery: ${event.reason}`,
      );
      return;
    case "throttled":
      return;
  }
}
