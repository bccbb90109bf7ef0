import type { ParseArgsConfig } from "node:util";
import type { Output } from "./output.ts";

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage line and option help, shown by `sluice <command> --help`. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  /**
   * How many positional arguments its usage line takes, at most: more are a usage error naming
   * them, so a mistyped or unquoted argument is never silently ignored. @default no limit
   */
  readonly positionals?: number;
  /** Returns the exit code: 0 success, 1 failure. Usage errors throw UsageError (exit 2). */
  run(args: ParsedArgs, output: Output): Promise<number>;
}

/** Options every command that acts on an app accepts. */
export const APP_OPTIONS = {
  dir: { type: "string" },
  json: { type: "boolean" },
} as const;

/** The help lines for APP_OPTIONS, for a command that takes no other option. */
export const APP_OPTIONS_HELP = ["Options:", "  --dir DIR  the app's folder", "  --json     print as JSON"];

export function appDir(args: ParsedArgs, positional?: string): string {
  return (args.values.dir as string | undefined) ?? positional ?? process.cwd();
}
