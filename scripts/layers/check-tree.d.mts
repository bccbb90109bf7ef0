// Types for the TypeScript tests that run the layering check in-process (scripts are plain ESM).
export interface Problem {
  /** The file, relative to the working directory. */
  readonly file: string;
  readonly line: number;
  /** The rule broken: layer, package, builtin, dynamic-import, require, surface-index, folder-cycle, literal-partition. */
  readonly rule: string;
  readonly message: string;
}

/** Checks every .ts file under `root` (the folder that plays the part of src/). */
export function checkTree(root: string): { files: number; problems: Problem[] };
