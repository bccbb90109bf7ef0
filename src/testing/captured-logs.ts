/**
 * What the app's functions logged, by function, as the cloud reports each line (its `log`
 * events): `app.logs(fn)` and the `onLog` option. Kept in memory for the app's life.
 */
export class CapturedLogs {
  private readonly byFunction = new Map<string, string[]>();

  constructor(
    private readonly onLog?: (line: { readonly functionName: string; readonly text: string }) => void,
  ) {}

  record(functionName: string, text: string): void {
    let lines = this.byFunction.get(functionName);
    if (!lines) {
      lines = [];
      this.byFunction.set(functionName, lines);
    }
    lines.push(text);
    this.onLog?.({ functionName, text });
  }

  /** The function's lines so far, oldest first (a copy). */
  of(functionName: string): string[] {
    return [...(this.byFunction.get(functionName) ?? [])];
  }
}
