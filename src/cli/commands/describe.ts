import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fleetOutline } from "../../aws/describe/graph-servers.ts";
import { stateMachineGraph, stateMachineOutline } from "../../aws/describe/graph-state-machines.ts";
import { renderDescribeHtml } from "../../aws/describe/render-html.ts";
import { synthApp } from "../../aws/synth-app.ts";
import { loadApp } from "../../bundle/load-app.ts";
import { appDir, type Command } from "../command.ts";

export const describeCommand: Command = {
  name: "describe",
  summary: "draw the app as one offline HTML page",
  help: [
    "Usage: sluice describe [dir] [options]",
    "",
    "Writes one self-contained HTML page drawing the app's functions, queues, dead-letter",
    "queues, APIs and the wiring between them, each state machine's states and transitions",
    "(with a text outline, also printed here), each server fleet beside the functions it serves",
    "(also printed here), and the CloudFormation template. It works offline.",
    "",
    "Options:",
    "  --out FILE.html  where to write it (default: <dir>/.sluice/describe.html)",
    "  --dir DIR        the app's folder (default: the current folder)",
  ].join("\n"),
  positionals: 1,
  options: { dir: { type: "string" }, out: { type: "string" } },
  async run(args, output) {
    const app = await loadApp(appDir(args, args.positionals[0]));
    const template = await synthApp(app);
    const out = args.values.out as string | undefined;
    const file = out === undefined ? join(app.stateDir, "describe.html") : resolve(out);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderDescribeHtml({ spec: app.spec, template }));
    output.out(`wrote ${file}`);
    for (const fleet of fleetOutline(app.spec)) output.out(`\n${fleet}`);
    for (const machine of Object.values(app.spec.stateMachines ?? {})) {
      output.out(`\nstate machine ${stateMachineOutline(stateMachineGraph(machine))}`);
    }
    return 0;
  },
};
