/** What the CLI says about the Node.js it runs on. */

/** Node.js majors past their end of life that Sluice still runs on, with the date each ended. */
const PAST_END_OF_LIFE: Readonly<Record<number, string>> = {
  // https://github.com/nodejs/Release: Node.js 20 "Iron" ended on 2026-04-30.
  20: "2026-04-30",
};

/**
 * One line for stderr when the CLI runs on a Node.js past its end of life, else undefined. Sluice
 * keeps working there (the machine's Node may be 20), but the AWS SDK and Lambda have moved on.
 */
export function endOfLifeNote(nodeVersion: string): string | undefined {
  const major = Number(nodeVersion.replace(/^v/, "").split(".")[0]);
  const ended = PAST_END_OF_LIFE[major];
  if (ended === undefined) return undefined;
  return `note: Node.js ${nodeVersion.replace(/^v/, "")} reached end of life on ${ended}; Sluice still runs on it, but install Node.js 24 or 22 (AWS SDK releases from January 2027 require Node.js 22 or later).`;
}
