/**
 * Which of a bucket's notification rules an object change matches: the event type (a rule for
 * `s3:ObjectCreated:*` matches every `ObjectCreated:` event) and the key name filter (a prefix and
 * a suffix, compared with the URL-encoded key, as S3 compares them).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
 */
import type { NotificationRule } from "./notification-rules.ts";

/** `configured` as written in a configuration (`s3:ObjectCreated:*`), `eventName` without `s3:`. */
export function eventMatches(configured: string, eventName: string): boolean {
  const type = configured.startsWith("s3:") ? configured.slice(3) : configured;
  if (type.endsWith(":*")) return eventName.startsWith(type.slice(0, -1));
  return type === eventName;
}

export function keyMatches(rule: Pick<NotificationRule, "prefix" | "suffix">, encodedKey: string): boolean {
  if (rule.prefix !== undefined && !encodedKey.startsWith(rule.prefix)) return false;
  if (rule.suffix !== undefined && !encodedKey.endsWith(rule.suffix)) return false;
  return true;
}

export function matchingRules(
  rules: readonly NotificationRule[],
  eventName: string,
  encodedKey: string,
): NotificationRule[] {
  return rules.filter((rule) => eventMatches(rule.event, eventName) && keyMatches(rule, encodedKey));
}
