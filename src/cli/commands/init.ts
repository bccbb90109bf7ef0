import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { findConfigFile } from "../../bundle/load-app.ts";
import { SluiceError } from "../../model/errors.ts";
import type { Command } from "../command.ts";

const CONFIG = (name: string) => `import { defineApp } from "sluice";

export default defineApp({
  name: ${JSON.stringify(name)},
  defaults: { runtime: "nodejs22.x", memorySize: 256, timeout: "10 seconds" },
  queues: {
    greetings: { deadLetter: { maxReceiveCount: 3 } },
  },
  functions: {
    hello: { handler: "src/hello.handler", routes: "greetings" },
    log: { handler: "src/log.handler", consumes: { queue: "greetings", batchSize: 10 } },
  },
});
`;

const HELLO = `export async function handler(event: { name?: string }) {
  return { greeting: \`Hello, \${event.name ?? "world"}!\` };
}
`;

const LOG = `import type { SQSEvent } from "aws-lambda";

export async function handler(event: SQSEvent) {
  for (const record of event.Records) console.log("received", record.body);
}
`;

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true
  },
  "include": ["sluice.config.ts", "src"]
}
`;

export const initCommand: Command = {
  name: "init",
  summary: "scaffold a new app (config, handlers, tsconfig) that `sluice dev` runs at once",
  help: [
    "Usage: sluice init [dir] [--name NAME]",
    "",
    "Options:",
    "  --name NAME  the app's name (default: the folder's name)",
  ].join("\n"),
  options: { name: { type: "string" } },
  async run(args, output) {
    const dir = resolve(args.positionals[0] ?? process.cwd());
    if (hasConfig(dir)) {
      throw new SluiceError(
        "SLUICE_INIT_EXISTS",
        `${dir} already holds a Sluice app; init writes only into a folder without one`,
      );
    }
    const name = (args.values.name as string | undefined) ?? appName(basename(dir));
    const files: Record<string, string> = {
      "sluice.config.ts": CONFIG(name),
      "src/hello.ts": HELLO,
      "src/log.ts": LOG,
      "tsconfig.json": TSCONFIG,
      ".gitignore": ".sluice/\n.sluice-cloud/\nnode_modules/\n",
    };
    mkdirSync(join(dir, "src"), { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      if (!existsSync(join(dir, file))) writeFileSync(join(dir, file), text);
    }
    output.out(`created ${name} in ${dir}\nnext: sluice dev ${args.positionals[0] ?? "."}`);
    return 0;
  },
};

function hasConfig(dir: string): boolean {
  try {
    findConfigFile(dir);
    return true;
  } catch {
    return false;
  }
}

/** Folder names become valid app names: letters, digits and hyphens. */
function appName(folder: string): string {
  const cleaned = folder.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  return cleaned || "app";
}
