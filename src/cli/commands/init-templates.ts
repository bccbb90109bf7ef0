/**
 * The files `sluice init` writes, beside the package.json it merges (init-package-json.ts).
 * `test/integration/cli-init.test.ts` and `scripts/smoke.mjs` prove the app runs and that
 * `npx tsc --noEmit` passes once installed.
 */

/** The definition: one function routing to a queue that a second function consumes. */
export function configTemplate(name: string): string {
  return `import { defineApp } from "sluice";

export default defineApp({
  name: ${JSON.stringify(name)},
  defaults: { runtime: "nodejs24.x", memorySize: 256, timeout: "10 seconds" },
  queues: {
    greetings: { deadLetter: { maxReceiveCount: 3 } },
  },
  functions: {
    hello: { handler: "src/hello.handler", routes: "greetings" },
    log: { handler: "src/log.handler", consumes: { queue: "greetings", batchSize: 10 } },
  },
});
`;
}

export const HELLO_HANDLER = `export async function handler(event: { name?: string }) {
  return { greeting: \`Hello, \${event.name ?? "world"}!\` };
}
`;

export const LOG_HANDLER = `import type { SQSEvent } from "aws-lambda";

export async function handler(event: SQSEvent) {
  for (const record of event.Records) console.log("received", record.body);
}
`;

/**
 * Type-checks the app as Sluice bundles it: Node ESM, `.ts` import suffixes allowed (esbuild
 * bundles the sources; tsc never emits), Sluice's types from its published declaration files.
 */
export const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "verbatimModuleSyntax": true,
    "allowImportingTsExtensions": true,
    "noEmit": true,
    "skipLibCheck": true,
    "types": ["node"]
  },
  "include": ["sluice.config.ts", "sluice.*.ts", "src"]
}
`;

/** What an app folder must never commit: local state, the local account, installed packages. */
export const GITIGNORE_LINES = [".sluice/", ".sluice-cloud/", "node_modules/"] as const;

/** Dev dependencies an app needs to type-check its definition and handlers. */
export const DEV_DEPENDENCIES = {
  typescript: "^5.9.3",
  "@types/aws-lambda": "^8.10.164",
  "@types/node": "^24.0.0",
} as const;

/** npm scripts, so `npm run dev` works as well as `npx sluice dev`. */
export const SCRIPTS = {
  dev: "sluice dev",
  synth: "sluice synth",
  typecheck: "tsc --noEmit",
} as const;
