/**
 * A node:test reporter that prints nothing until the run ends, then one digest of every test that
 * failed or was cancelled: its file, its name and the first lines of its error. CI shows only the
 * tail of a long log, so the digest is what a reader of a failed run sees first.
 */
const MAX_ERROR_LINES = 8;

export default async function* failureDigest(source) {
  const failures = [];
  for await (const event of source) {
    if (event.type !== "test:fail") continue;
    const { name, file, line, details } = event.data;
    // A suite fails when a test in it fails: report the tests, not their suites again.
    if (details?.type === "suite" && details?.error?.failureType === "subtestsFailed") continue;
    const error = details?.error;
    const cause = error?.cause ?? error;
    const message = String(cause?.stack ?? cause?.message ?? cause ?? "")
      .split("\n")
      .slice(0, MAX_ERROR_LINES);
    failures.push({
      name,
      where: file ? `${file}${line ? `:${line}` : ""}` : "(no file)",
      kind: error?.failureType,
      message,
    });
  }
  if (failures.length === 0) return;
  yield `\n# ${failures.length} failed or cancelled:\n`;
  for (const f of failures) {
    yield `# - ${f.where}  ${JSON.stringify(f.name)}  [${f.kind ?? "failure"}]\n`;
    for (const text of f.message) yield `#     ${text}\n`;
  }
}
