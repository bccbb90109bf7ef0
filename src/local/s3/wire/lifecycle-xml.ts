/**
 * A lifecycle rule between S3's XML (`<Rule>` of PutBucketLifecycleConfiguration:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html) and AWS::S3::Bucket's
 * `LifecycleConfiguration.Rules[]` (Prefix and TagFilters where the API has a Filter).
 */
import { element, text } from "../../wire/index.ts";
import { S3Error } from "../errors.ts";
import { type JsonObject, positiveDays, randomId } from "./config-xml.ts";
import { child, children, childText, malformed, type XmlNode } from "./xml-tree.ts";

export function lifecycleRule(rule: XmlNode): JsonObject {
  const status = childText(rule, "Status");
  if (status !== "Enabled" && status !== "Disabled") throw malformed();
  const filter = child(rule, "Filter");
  const and = child(filter, "And");
  const prefix = childText(rule, "Prefix") ?? childText(filter, "Prefix") ?? childText(and, "Prefix");
  const tags = [...children(filter, "Tag"), ...children(and, "Tag")].map((t) => ({
    Key: childText(t, "Key") ?? "",
    Value: childText(t, "Value") ?? "",
  }));
  const expiration = child(rule, "Expiration");
  const noncurrent = child(rule, "NoncurrentVersionExpiration");
  const abort = child(rule, "AbortIncompleteMultipartUpload");
  const out: JsonObject = { Id: childText(rule, "ID") || randomId(), Status: status };
  if (prefix) out.Prefix = prefix;
  if (tags.length > 0) out.TagFilters = tags;
  const greater = childText(filter, "ObjectSizeGreaterThan") ?? childText(and, "ObjectSizeGreaterThan");
  const less = childText(filter, "ObjectSizeLessThan") ?? childText(and, "ObjectSizeLessThan");
  if (greater !== undefined) out.ObjectSizeGreaterThan = greater;
  if (less !== undefined) out.ObjectSizeLessThan = less;
  if (expiration) {
    const days = childText(expiration, "Days");
    const date = childText(expiration, "Date");
    const marker = childText(expiration, "ExpiredObjectDeleteMarker");
    if (days !== undefined) out.ExpirationInDays = positiveDays(days, "Expiration");
    if (date !== undefined) out.ExpirationDate = date;
    if (marker !== undefined) out.ExpiredObjectDeleteMarker = marker === "true";
  }
  if (noncurrent) {
    const days = childText(noncurrent, "NoncurrentDays");
    const newer = childText(noncurrent, "NewerNoncurrentVersions");
    out.NoncurrentVersionExpiration = {
      ...(days === undefined ? {} : { NoncurrentDays: positiveDays(days, "NoncurrentVersionExpiration") }),
      ...(newer === undefined ? {} : { NewerNoncurrentVersions: Number(newer) }),
    };
  }
  if (abort) {
    const days = childText(abort, "DaysAfterInitiation");
    out.AbortIncompleteMultipartUpload = {
      DaysAfterInitiation: positiveDays(days ?? "", "AbortIncompleteMultipartUpload"),
    };
  }
  if (
    !expiration &&
    !noncurrent &&
    !abort &&
    !child(rule, "Transition") &&
    !child(rule, "NoncurrentVersionTransition")
  ) {
    throw new S3Error("InvalidRequest", {}, "At least one action needs to be specified in a rule");
  }
  return out;
}

export function renderLifecycleRule(rule: JsonObject): string {
  const tags = (rule.TagFilters as { Key: string; Value: string }[] | undefined) ?? [];
  const tagXml = tags.map((t) => element("Tag", text("Key", t.Key) + text("Value", t.Value))).join("");
  const prefix = text("Prefix", String(rule.Prefix ?? ""));
  const filter =
    tags.length === 0
      ? element("Filter", prefix)
      : element("Filter", rule.Prefix || tags.length > 1 ? element("And", prefix + tagXml) : tagXml);
  const expiration =
    rule.ExpirationInDays !== undefined ||
    rule.ExpirationDate !== undefined ||
    rule.ExpiredObjectDeleteMarker !== undefined
      ? element(
          "Expiration",
          (rule.ExpirationDate !== undefined ? text("Date", String(rule.ExpirationDate)) : "") +
            (rule.ExpirationInDays !== undefined ? text("Days", Number(rule.ExpirationInDays)) : "") +
            (rule.ExpiredObjectDeleteMarker !== undefined
              ? text("ExpiredObjectDeleteMarker", rule.ExpiredObjectDeleteMarker === true)
              : ""),
        )
      : "";
  const noncurrent = rule.NoncurrentVersionExpiration as JsonObject | undefined;
  const noncurrentDays = noncurrent?.NoncurrentDays ?? rule.NoncurrentVersionExpirationInDays;
  const abort = rule.AbortIncompleteMultipartUpload as JsonObject | undefined;
  return element(
    "Rule",
    text("ID", String(rule.Id ?? "")) +
      filter +
      text("Status", String(rule.Status)) +
      expiration +
      (noncurrentDays !== undefined || noncurrent?.NewerNoncurrentVersions !== undefined
        ? element(
            "NoncurrentVersionExpiration",
            (noncurrentDays !== undefined ? text("NoncurrentDays", Number(noncurrentDays)) : "") +
              (noncurrent?.NewerNoncurrentVersions !== undefined
                ? text("NewerNoncurrentVersions", Number(noncurrent.NewerNoncurrentVersions))
                : ""),
          )
        : "") +
      (abort
        ? element(
            "AbortIncompleteMultipartUpload",
            text("DaysAfterInitiation", Number(abort.DaysAfterInitiation)),
          )
        : ""),
  );
}
