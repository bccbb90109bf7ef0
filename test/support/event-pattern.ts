import { compilePattern } from "../../src/model/event-pattern/compile-pattern.ts";
import { matches } from "../../src/model/event-pattern/match.ts";
import { RuleIndex } from "../../src/model/event-pattern/pattern-index.ts";

/** Matches through both the single-pattern matcher and the rule index, and insists they agree. */
export function match(pattern: unknown, event: unknown): boolean {
  const compiled = compilePattern(pattern);
  const direct = matches(compiled, event);
  const index = new RuleIndex();
  index.add("rule", compiled);
  const indexed = index.match(event).includes("rule");
  if (direct !== indexed) {
    throw new Error(`matcher (${direct}) and index (${indexed}) disagree on ${JSON.stringify(pattern)}`);
  }
  return direct;
}

/** The reason AWS would give for refusing the pattern, or undefined when it compiles. */
export function reason(pattern: unknown): string | undefined {
  try {
    compilePattern(pattern);
    return undefined;
  } catch (error) {
    const e = error as { code?: string; reason?: string; statusCode?: number; message: string };
    if (e.code !== "InvalidEventPatternException" || e.statusCode !== 400) throw error;
    return e.reason;
  }
}

/** The EC2 state-change event AWS's documentation uses throughout its pattern examples. */
export const EC2_EVENT = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

export function withDetail(detail: Record<string, unknown>): Record<string, unknown> {
  return { ...EC2_EVENT, detail };
}
