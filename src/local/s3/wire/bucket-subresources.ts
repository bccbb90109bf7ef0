/**
 * Bucket subresources on the wire, each kept in the bucket's stored configuration under its
 * AWS::S3::Bucket property (model/bucket-configuration.ts), so whoever set it (a template, the
 * definition, an API call) S3 reads one shape:
 * `?versioning` ↔ VersioningConfiguration, `?lifecycle` ↔ LifecycleConfiguration, `?cors` ↔
 * CorsConfiguration, `?website` ↔ WebsiteConfiguration, `?notification` ↔
 * NotificationConfiguration, `?tagging` ↔ Tags, `?publicAccessBlock` ↔
 * PublicAccessBlockConfiguration, and `?policy` ↔ PolicyDocument (AWS::S3::BucketPolicy's
 * property: a bucket policy is a resource of its own in CloudFormation). The XML is S3's
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html and
 * its siblings); GET on a bucket without one answers S3's own error (NoSuchLifecycleConfiguration…).
 */
import { LIMITS } from "../../../model/limits.ts";
import { element, text } from "../../wire/index.ts";
import { S3Error } from "../errors.ts";
import { doc, fields, type JsonObject, list, renderFields, rootNamed } from "./config-xml.ts";
import { lifecycleRule, renderLifecycleRule } from "./lifecycle-xml.ts";
import { notificationConfiguration, renderNotification } from "./notification-xml.ts";
import { child, children, childText, malformed, type XmlNode } from "./xml-tree.ts";

export interface Subresource {
  /** The AWS::S3::Bucket property it is stored under. */
  readonly property: string;
  /** The error a GET answers when the bucket has none; undefined when GET answers an empty document. */
  readonly missing?: { code: ConstructorParameters<typeof S3Error>[0] };
  /** PUT's body as the stored property. */
  parse(body: Buffer): unknown;
  /** The stored property as GET's body (`undefined`: none stored, for subresources without `missing`). */
  render(value: unknown): string;
  /** DELETE is S3's (204); false answers MethodNotAllowed. */
  readonly deletable: boolean;
  /** The status PUT answers with. @default 200 */
  readonly putStatus?: number;
  /** Content type of GET's body. @default application/xml */
  readonly contentType?: string;
}

export const SUBRESOURCES: Readonly<Record<string, Subresource>> = {
  versioning: {
    property: "VersioningConfiguration",
    deletable: false,
    parse(body) {
      const root = rootNamed(body, "VersioningConfiguration");
      const status = childText(root, "Status");
      if (status !== "Enabled" && status !== "Suspended") throw malformed();
      return { Status: status };
    },
    render(value) {
      const status = (value as { Status?: string } | undefined)?.Status;
      return doc("VersioningConfiguration", status ? text("Status", status) : "");
    },
  },
  lifecycle: {
    property: "LifecycleConfiguration",
    missing: { code: "NoSuchLifecycleConfiguration" },
    deletable: true,
    parse(body) {
      const rules = children(rootNamed(body, "LifecycleConfiguration"), "Rule");
      if (rules.length === 0 || rules.length > LIMITS.s3.lifecycleRules.max) throw malformed();
      return { Rules: rules.map(lifecycleRule) };
    },
    render(value) {
      const rules = ((value as { Rules?: JsonObject[] }).Rules ?? []).map(renderLifecycleRule).join("");
      return doc("LifecycleConfiguration", rules);
    },
  },
  cors: {
    property: "CorsConfiguration",
    missing: { code: "NoSuchCORSConfiguration" },
    deletable: true,
    parse(body) {
      const rules = children(rootNamed(body, "CORSConfiguration"), "CORSRule");
      if (rules.length === 0 || rules.length > LIMITS.s3.corsRules.max) throw malformed();
      return { CorsRules: rules.map(corsRule) };
    },
    render(value) {
      const rules = ((value as { CorsRules?: JsonObject[] }).CorsRules ?? [])
        .map((r) =>
          element(
            "CORSRule",
            (r.Id ? text("ID", String(r.Id)) : "") +
              list("AllowedHeader", r.AllowedHeaders) +
              list("AllowedMethod", r.AllowedMethods) +
              list("AllowedOrigin", r.AllowedOrigins) +
              list("ExposeHeader", r.ExposedHeaders) +
              (r.MaxAge === undefined ? "" : text("MaxAgeSeconds", Number(r.MaxAge))),
          ),
        )
        .join("");
      return doc("CORSConfiguration", rules);
    },
  },
  website: {
    property: "WebsiteConfiguration",
    missing: { code: "NoSuchWebsiteConfiguration" },
    deletable: true,
    parse(body) {
      return websiteConfiguration(rootNamed(body, "WebsiteConfiguration"));
    },
    render(value) {
      return doc("WebsiteConfiguration", renderWebsite(value as JsonObject));
    },
  },
  notification: {
    property: "NotificationConfiguration",
    deletable: false,
    parse(body) {
      return notificationConfiguration(rootNamed(body, "NotificationConfiguration"));
    },
    render(value) {
      return doc("NotificationConfiguration", renderNotification((value ?? {}) as JsonObject));
    },
  },
  tagging: {
    property: "Tags",
    missing: { code: "NoSuchTagSet" },
    deletable: true,
    putStatus: 204,
    parse(body) {
      return parseTagSet(body);
    },
    render(value) {
      return renderTagSet(value as { Key: string; Value: string }[]);
    },
  },
  policy: {
    property: "PolicyDocument",
    missing: { code: "NoSuchBucketPolicy" },
    deletable: true,
    putStatus: 204,
    contentType: "application/json",
    parse(body) {
      const source = body.toString("utf8").trim();
      try {
        if (!source.startsWith("{")) throw new Error("not an object");
        return JSON.parse(source) as unknown;
      } catch {
        throw new S3Error("MalformedPolicy");
      }
    },
    render(value) {
      return JSON.stringify(value);
    },
  },
  publicAccessBlock: {
    property: "PublicAccessBlockConfiguration",
    missing: { code: "NoSuchPublicAccessBlockConfiguration" },
    deletable: true,
    parse(body) {
      const root = rootNamed(body, "PublicAccessBlockConfiguration");
      const out: JsonObject = {};
      for (const name of [
        "BlockPublicAcls",
        "IgnorePublicAcls",
        "BlockPublicPolicy",
        "RestrictPublicBuckets",
      ]) {
        out[name] = childText(root, name) === "true";
      }
      return out;
    },
    render(value) {
      const v = value as JsonObject;
      const inner = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]
        .map((name) => text(name, v[name] === true))
        .join("");
      return doc("PublicAccessBlockConfiguration", inner);
    },
  },
};

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` as `[{ Key, Value }]`. */
export function parseTagSet(body: Buffer): { Key: string; Value: string }[] {
  const root = rootNamed(body, "Tagging");
  const tags = children(child(root, "TagSet"), "Tag").map((t) => ({
    Key: childText(t, "Key") ?? "",
    Value: childText(t, "Value") ?? "",
  }));
  if (new Set(tags.map((t) => t.Key)).size !== tags.length) {
    throw new S3Error("InvalidTag", {}, "Cannot provide multiple Tags with the same key");
  }
  return tags;
}

export function renderTagSet(tags: readonly { Key: string; Value: string }[]): string {
  const inner = tags.map((t) => element("Tag", text("Key", t.Key) + text("Value", t.Value))).join("");
  return doc("Tagging", element("TagSet", inner));
}

function corsRule(rule: XmlNode): JsonObject {
  const methods = children(rule, "AllowedMethod").map((m) => m.text.trim());
  const origins = children(rule, "AllowedOrigin").map((o) => o.text.trim());
  if (methods.length === 0 || origins.length === 0) throw malformed();
  for (const method of methods) {
    if (!(LIMITS.s3.corsMethods.values as readonly string[]).includes(method)) {
      throw new S3Error(
        "InvalidRequest",
        {},
        `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`,
      );
    }
  }
  const headers = children(rule, "AllowedHeader").map((h) => h.text.trim());
  const expose = children(rule, "ExposeHeader").map((h) => h.text.trim());
  const id = childText(rule, "ID");
  const maxAge = childText(rule, "MaxAgeSeconds");
  return {
    ...(id ? { Id: id } : {}),
    AllowedOrigins: origins,
    AllowedMethods: methods,
    ...(headers.length > 0 ? { AllowedHeaders: headers } : {}),
    ...(expose.length > 0 ? { ExposedHeaders: expose } : {}),
    ...(maxAge === undefined ? {} : { MaxAge: Number(maxAge) }),
  };
}

function websiteConfiguration(root: XmlNode): JsonObject {
  const redirectAll = child(root, "RedirectAllRequestsTo");
  const suffix = childText(child(root, "IndexDocument"), "Suffix");
  if (redirectAll) {
    const host = childText(redirectAll, "HostName");
    if (!host) throw malformed();
    const protocol = childText(redirectAll, "Protocol");
    return { RedirectAllRequestsTo: { HostName: host, ...(protocol ? { Protocol: protocol } : {}) } };
  }
  if (!suffix) {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "IndexDocument", ArgumentValue: "null" },
      "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
    );
  }
  if (suffix.includes("/")) {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "IndexDocument", ArgumentValue: suffix },
      "The IndexDocument Suffix is not well formed",
    );
  }
  const errorKey = childText(child(root, "ErrorDocument"), "Key");
  const rules = children(child(root, "RoutingRules"), "RoutingRule").map((rule) => {
    const condition = child(rule, "Condition");
    const redirect = child(rule, "Redirect");
    if (!redirect) throw malformed();
    return {
      ...(condition
        ? { RoutingRuleCondition: fields(condition, ["KeyPrefixEquals", "HttpErrorCodeReturnedEquals"]) }
        : {}),
      RedirectRule: fields(redirect, [
        "HostName",
        "HttpRedirectCode",
        "Protocol",
        "ReplaceKeyPrefixWith",
        "ReplaceKeyWith",
      ]),
    };
  });
  return {
    IndexDocument: suffix,
    ...(errorKey ? { ErrorDocument: errorKey } : {}),
    ...(rules.length > 0 ? { RoutingRules: rules } : {}),
  };
}

function renderWebsite(value: JsonObject): string {
  const all = value.RedirectAllRequestsTo as JsonObject | undefined;
  if (all) {
    return element(
      "RedirectAllRequestsTo",
      text("HostName", String(all.HostName)) + (all.Protocol ? text("Protocol", String(all.Protocol)) : ""),
    );
  }
  const rules = (value.RoutingRules as JsonObject[] | undefined) ?? [];
  const rulesXml = rules
    .map((r) => {
      const condition = r.RoutingRuleCondition as Record<string, string> | undefined;
      const redirect = (r.RedirectRule ?? {}) as Record<string, string>;
      return element(
        "RoutingRule",
        (condition ? element("Condition", renderFields(condition)) : "") +
          element("Redirect", renderFields(redirect)),
      );
    })
    .join("");
  const index = typeof value.IndexDocument === "string" ? value.IndexDocument : "";
  const errorKey = typeof value.ErrorDocument === "string" ? value.ErrorDocument : undefined;
  return (
    element("IndexDocument", text("Suffix", index)) +
    (errorKey ? element("ErrorDocument", text("Key", errorKey)) : "") +
    (rules.length > 0 ? element("RoutingRules", rulesXml) : "")
  );
}
