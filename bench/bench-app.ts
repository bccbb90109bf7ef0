import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Writes an app of `functions` functions to a temp folder: every second function consumes a
 * queue of its own, so `dev` has event source mappings to start as well.
 */
export function writeBenchApp(
  functions: number,
  options: { handlerBody?: string; batchSize?: number; maxConcurrency?: number; fifo?: boolean } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "src", "handler.ts"),
    `export async function handler(event: unknown) {\n  ${options.handlerBody ?? "return event;"}\n}\n`,
  );
  const queues: string[] = [];
  const fns: string[] = [];
  for (let i = 0; i < functions; i++) {
    const consumes = i % 2 === 1;
    if (consumes)
      queues.push(`q${i}: { ${options.fifo ? "fifo: true, " : ""}visibilityTimeout: "60 seconds" }`);
    const mapping = consumes
      ? `, consumes: { queue: "q${i}", batchSize: ${options.batchSize ?? 10}${options.maxConcurrency ? `, maxConcurrency: ${options.maxConcurrency}` : ""} }`
      : "";
    fns.push(`f${i}: { handler: "src/handler.handler"${mapping} }`);
  }
  writeFileSync(
    join(dir, "sluice.config.ts"),
    `import { defineApp } from "sluice";\nexport default defineApp({\n  name: "bench",\n  queues: { ${queues.join(",\n    ")} },\n  functions: {\n    ${fns.join(",\n    ")}\n  },\n});\n`,
  );
  return dir;
}

/**
 * Writes the smallest HTTP app to a temp folder: function `hello` (src/hello.ts) answers
 * GET /hello with a v2 HTTP API answer, as small as a route gets.
 */
export function writeHelloApp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "src", "hello.ts"),
    'export async function handler() {\n  return { statusCode: 200, headers: { "content-type": "text/plain" }, body: "hello" };\n}\n',
  );
  writeFileSync(
    join(dir, "sluice.config.ts"),
    'import { defineApp } from "sluice";\nexport default defineApp({\n  name: "hello",\n  functions: { hello: { handler: "src/hello.handler", http: "GET /hello" } },\n});\n',
  );
  return dir;
}
