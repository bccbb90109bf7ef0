import { ConfigError } from "../model/config-error.ts";
import { SluiceError } from "../model/errors.ts";

/** The only place that writes to the terminal; commands take it as a parameter so tests can capture it. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  readonly color: boolean;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

export function dim(output: Output, text: string): string {
  return output.color ? `\x1b[2m${text}\x1b[0m` : text;
}

export function bold(output: Output, text: string): string {
  return output.color ? `\x1b[1m${text}\x1b[0m` : text;
}

/** Users see what went wrong and how to fix it; only bugs show a stack. */
export function reportError(output: Output, error: unknown): void {
  if (error instanceof ConfigError) {
    output.err(error.message);
    return;
  }
  if (error instanceof SluiceError) {
    output.err(`error: ${error.message}${error.code.startsWith("SLUICE_") ? "" : ` (${error.code})`}`);
    return;
  }
  output.err(`internal error (please report): ${(error as Error)?.stack ?? String(error)}`);
}

/** Plain-text table with a header row, columns padded to their widest cell. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}
