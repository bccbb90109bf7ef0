/**
 * A distributed Map's ItemReader: the engine asks the TaskPort for the reader's resource
 * (`arn:…:states:::s3:getObject` answers the object's body as text, `s3:listObjectsV2` the array of
 * Contents entries: task-port.ts) and turns the answer into the items
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html): a JSON array,
 * JSON Lines, or a CSV file with a header row (ReaderConfig.InputType). ReaderConfig.MaxItems caps
 * the count. A failure is States.ItemReaderFailed.
 */
import type { AslState } from "../language/query-language.ts";
import { STATES_ERRORS, StatesError } from "../language/states-error.ts";
import type { LiveExecution, LiveFrame, Runner } from "./engine-context.ts";

export async function readItems(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  state: AslState,
): Promise<readonly unknown[]> {
  const reader = state.ItemReader as Record<string, unknown>;
  const language = exec.index.language(state);
  const scope = it.scope(exec, frame);
  // The reader's Parameters (JSONPath) or Arguments (JSONata) evaluate like a task's.
  const parameters = await language.effectiveInput(reader, scope);
  const resource = String(reader.Resource ?? "");
  const outcome = await it.o.tasks.run({
    resource,
    pattern: "requestResponse",
    parameters,
    executionArn: exec.row.arn,
    stateName: frame.state,
    roleArn: exec.row.roleArn,
    signal: new AbortController().signal,
  });
  if (outcome.kind !== "succeeded") {
    const cause =
      outcome.kind === "failed" ? `${outcome.error}: ${outcome.cause}` : "the reader did not answer";
    throw new StatesError(STATES_ERRORS.itemReaderFailed, cause);
  }
  const config = (reader.ReaderConfig ?? {}) as {
    InputType?: string;
    MaxItems?: number;
    CSVHeaderLocation?: string;
    CSVHeaders?: string[];
  };
  const items = toItems(outcome.output, config);
  return typeof config.MaxItems === "number" && config.MaxItems > 0 ? items.slice(0, config.MaxItems) : items;
}

function toItems(
  output: unknown,
  config: { InputType?: string; CSVHeaderLocation?: string; CSVHeaders?: string[] },
): unknown[] {
  if (Array.isArray(output)) return output;
  if (typeof output !== "string") {
    throw new StatesError(
      STATES_ERRORS.itemReaderFailed,
      "the ItemReader did not return a JSON array or a text object",
    );
  }
  try {
    switch (config.InputType) {
      case "JSONL":
        return output
          .split("\n")
          .filter((l) => l.trim() !== "")
          .map((l) => JSON.parse(l));
      case "CSV":
        return csvItems(output, config);
      default: {
        const parsed = JSON.parse(output);
        if (!Array.isArray(parsed)) throw new Error("the object is not a JSON array");
        return parsed;
      }
    }
  } catch (err) {
    throw new StatesError(
      STATES_ERRORS.itemReaderFailed,
      `could not read the items: ${(err as Error).message}`,
    );
  }
}

/** Simple CSV: comma-separated, double-quoted fields with "" escapes, the first row the header unless given. */
function csvItems(
  text: string,
  config: { CSVHeaderLocation?: string; CSVHeaders?: string[] },
): Record<string, string>[] {
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l !== "")
    .map(parseCsvLine);
  const headers = config.CSVHeaderLocation === "GIVEN" ? (config.CSVHeaders ?? []) : (rows.shift() ?? []);
  return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ""])));
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(field);
      field = "";
    } else field += ch;
  }
  out.push(field);
  return out;
}
