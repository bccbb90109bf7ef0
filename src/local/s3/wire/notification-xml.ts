/**
 * A notification configuration between S3's XML (PutBucketNotificationConfiguration:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html)
 * and AWS::S3::Bucket's `NotificationConfiguration`.
 */
import { LIMITS } from "../../../model/limits.ts";
import { S3_NOTIFICATION_EVENT_TYPES } from "../../../model/validate/bucket-events.ts";
import { element, text } from "../../wire/index.ts";
import { S3Error } from "../errors.ts";
import { type JsonObject, randomId, stableId } from "./config-xml.ts";
import { child, children, childText, malformed, type XmlNode } from "./xml-tree.ts";

/** S3's event types, written once in the model (validate/bucket-events.ts). */
const EVENT_TYPES: ReadonlySet<string> = new Set(S3_NOTIFICATION_EVENT_TYPES);

/** S3's three destination kinds, as the API and as CloudFormation name them. */
const DESTINATIONS = [
  {
    xml: "CloudFunctionConfiguration",
    target: "CloudFunction",
    cfn: "LambdaConfigurations",
    cfnTarget: "Function",
  },
  { xml: "QueueConfiguration", target: "Queue", cfn: "QueueConfigurations", cfnTarget: "Queue" },
  { xml: "TopicConfiguration", target: "Topic", cfn: "TopicConfigurations", cfnTarget: "Topic" },
] as const;

/**
 * The API takes several events per configuration, CloudFormation one: a configuration with N events
 * is stored as N entries sharing its `Id` (S3 generates one when none is given), and GET groups
 * them back.
 */
export function notificationConfiguration(root: XmlNode): JsonObject {
  const out: JsonObject = {};
  if (child(root, "EventBridgeConfiguration")) out.EventBridgeConfiguration = { EventBridgeEnabled: true };
  for (const kind of DESTINATIONS) {
    const entries: JsonObject[] = [];
    for (const config of children(root, kind.xml)) {
      const target = childText(config, kind.target);
      const events = children(config, "Event").map((e) => e.text.trim());
      if (!target || events.length === 0) throw malformed();
      for (const event of events) {
        if (!EVENT_TYPES.has(event)) {
          throw new S3Error(
            "InvalidArgument",
            { ArgumentName: "Event", ArgumentValue: event },
            "The event is not supported for notifications",
          );
        }
      }
      const rules = children(child(child(config, "Filter"), "S3Key"), "FilterRule").map((r) => {
        const name = (childText(r, "Name") ?? "").toLowerCase();
        if (name !== "prefix" && name !== "suffix") {
          throw new S3Error(
            "InvalidArgument",
            { ArgumentName: "FilterRule.Name", ArgumentValue: name },
            "filter rule name must be either prefix or suffix",
          );
        }
        return { Name: name, Value: childText(r, "Value") ?? "" };
      });
      const id = childText(config, "Id") || randomId();
      for (const event of events) {
        entries.push({
          Id: id,
          Event: event,
          [kind.cfnTarget]: target,
          ...(rules.length > 0 ? { Filter: { S3Key: { Rules: rules } } } : {}),
        });
      }
    }
    if (entries.length > LIMITS.s3.notificationConfigurations.max) throw malformed();
    if (entries.length > 0) out[kind.cfn] = entries;
  }
  return out;
}

export function renderNotification(value: JsonObject): string {
  let xml = "";
  for (const kind of DESTINATIONS) {
    const entries = (value[kind.cfn] as JsonObject[] | undefined) ?? [];
    const grouped = new Map<string, { target: unknown; filter: unknown; events: string[] }>();
    for (const entry of entries) {
      const id = typeof entry.Id === "string" ? entry.Id : stableId(entry);
      const group = grouped.get(id) ?? { target: entry[kind.cfnTarget], filter: entry.Filter, events: [] };
      group.events.push(String(entry.Event));
      grouped.set(id, group);
    }
    for (const [id, group] of grouped) {
      const rules = (
        (group.filter as { S3Key?: { Rules?: { Name: string; Value: string }[] } } | undefined)?.S3Key
          ?.Rules ?? []
      )
        .map((r) => element("FilterRule", text("Name", r.Name) + text("Value", r.Value)))
        .join("");
      xml += element(
        kind.xml,
        text("Id", id) +
          text(kind.target, String(group.target)) +
          group.events.map((e) => text("Event", e)).join("") +
          (rules ? element("Filter", element("S3Key", rules)) : ""),
      );
    }
  }
  const bridge = (value.EventBridgeConfiguration as { EventBridgeEnabled?: unknown } | undefined)
    ?.EventBridgeEnabled;
  if (bridge === true || bridge === "true") xml += "<EventBridgeConfiguration></EventBridgeConfiguration>";
  return xml;
}
