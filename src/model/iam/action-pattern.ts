/**
 * Whether an IAM action pattern names an action: `*` matches any run of characters and `?` any
 * one, and case does not matter, as IAM matches the Action element
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
 * The grants derived from a definition ask it (which statements reach S3 objects, a stream, a
 * task token); it imports nothing, so every file of model/iam can use it without a cycle
 * (match.ts, which evaluates whole policies, imports function-grants.ts's types).
 */
export function actionPatternMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return regex.test(action.toLowerCase());
}
