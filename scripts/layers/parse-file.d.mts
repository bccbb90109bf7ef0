// Types for the TypeScript tests that read import facts in-process (scripts are plain ESM).
export type ImportKind = "import" | "type" | "side-effect" | "export-from" | "dynamic" | "require";

export interface ImportFact {
  readonly specifier: string;
  readonly kind: ImportKind;
  readonly line: number;
}

/** The npm package a bare specifier names: `@scope/name` for a scoped one, else its first segment. */
export function packageOf(specifier: string): string;

/** Every module `text` names, and every string in it that spells a literal partition. */
export function parseFile(
  fileName: string,
  text: string,
): { imports: ImportFact[]; partitions: { text: string; line: number }[] };
