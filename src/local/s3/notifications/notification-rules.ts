/**
 * A bucket's stored NotificationConfiguration (AWS::S3::Bucket's property shape, see
 * model/bucket-configuration.ts) read into the rules an object change is matched against.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-notificationconfiguration.html
 */
import { createHash } from "node:crypto";
import { readKeyFilter } from "../../../model/bucket-configuration.ts";

export type DestinationKind = "function" | "queue";

export interface NotificationRule {
  /** The configuration's `Id`, or one derived from its content (see configurationId). */
  readonly id: string;
  readonly kind: DestinationKind;
  /** The function's or queue's ARN, as the configuration names it. */
  readonly arn: string;
  /** The configured event type, with `s3:` (e.g. `s3:ObjectCreated:*`). */
  readonly event: string;
  readonly prefix?: string;
  readonly suffix?: string;
}

export interface BucketNotifications {
  readonly rules: readonly NotificationRule[];
  /** `EventBridgeConfiguration: { EventBridgeEnabled: true }`: every event also goes to the default bus. */
  readonly eventBridge: boolean;
}

const NONE: BucketNotifications = { rules: [], eventBridge: false };

/** Reads the configuration leniently: anything that is not a destination S3 could call is skipped. */
export function notificationRules(configuration: Readonly<Record<string, unknown>>): BucketNotifications {
  const notification = configuration.NotificationConfiguration;
  if (!isRecord(notification)) return NONE;
  const rules = [
    ...readRules(notification.LambdaConfigurations, "function", "Function"),
    ...readRules(notification.QueueConfigurations, "queue", "Queue"),
  ];
  const bridge = notification.EventBridgeConfiguration;
  const eventBridge =
    isRecord(bridge) && (bridge.EventBridgeEnabled === true || bridge.EventBridgeEnabled === "true");
  return { rules, eventBridge };
}

function readRules(list: unknown, kind: DestinationKind, arnField: string): NotificationRule[] {
  if (!Array.isArray(list)) return [];
  const rules: NotificationRule[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const arn = entry[arnField];
    const event = entry.Event;
    if (typeof arn !== "string" || typeof event !== "string") continue;
    const { prefix, suffix } = readKeyFilter(entry.Filter);
    const id =
      typeof entry.Id === "string" && entry.Id !== ""
        ? entry.Id
        : configurationId(kind, arn, event, prefix, suffix);
    rules.push({
      id,
      kind,
      arn,
      event,
      ...(prefix === undefined ? {} : { prefix }),
      ...(suffix === undefined ? {} : { suffix }),
    });
  }
  return rules;
}

/**
 * A configuration without an `Id` (CloudFormation's LambdaConfiguration and QueueConfiguration
 * have no such property) gets one from S3 when it is stored: an opaque string. Locally it is
 * derived from the configuration's content (base64 of its SHA-256), so the same configuration
 * keeps the same `s3.configurationId` across restarts and reloads (docs/fidelity.md).
 */
export function configurationId(
  kind: DestinationKind,
  arn: string,
  event: string,
  prefix: string | undefined,
  suffix: string | undefined,
): string {
  return createHash("sha256")
    .update(JSON.stringify([kind, arn, event, prefix ?? "", suffix ?? ""]))
    .digest("base64");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
