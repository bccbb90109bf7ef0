/**
 * What EventBridge's input transformer allows in a template, shared by definition validation and
 * the local CloudFormation provider (the local PutTargets): placeholders are `<name>`, each an
 * `InputPathsMap` key or one of the predefined variables.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */

/** The predefined variables, reserved: no `InputPathsMap` key may take these names. */
const PREDEFINED_NAMES = [
  "aws.events.rule-arn",
  "aws.events.rule-name",
  "aws.events.event",
  "aws.events.event.json",
  "aws.events.event.ingestion-time",
] as const;

/** A predefined variable's name: delivery fills a `Record` of these, so it cannot miss one. */
export type PredefinedVariable = (typeof PREDEFINED_NAMES)[number];

export const PREDEFINED_VARIABLES: ReadonlySet<string> = new Set(PREDEFINED_NAMES);

/** The placeholders of `template` that neither `inputPathsMap` nor the predefined variables define, once each. */
export function undefinedPlaceholders(
  template: string,
  inputPathsMap: Readonly<Record<string, unknown>>,
): string[] {
  const names = [...template.matchAll(/<([A-Za-z0-9_.-]+)>/g)].map((m) => m[1] ?? "");
  return [...new Set(names.filter((n) => !Object.hasOwn(inputPathsMap, n) && !PREDEFINED_VARIABLES.has(n)))];
}
