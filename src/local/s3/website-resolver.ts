/**
 * Which object a website endpoint serves for a path, pure: given a bucket's stored
 * `WebsiteConfiguration` (AWS::S3::Bucket's property shape: `IndexDocument` and `ErrorDocument`
 * as key strings, `RedirectAllRequestsTo`, `RoutingRules`), the request's decoded path and a way to
 * ask whether a key exists. As S3 does it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/IndexDocumentSupport.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/CustomErrorDocSupport.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-page-redirect.html):
 * the root and any path ending in `/` serve that folder's index document; a path without the
 * slash serves the object of that key, or, when there is none but the folder has an index
 * document, redirects (302) to the path with the slash; anything else is a 404 that serves the
 * error document when the bucket has one.
 */

export type WebsiteResolution =
  /** Serve this object (200). */
  | { readonly kind: "object"; readonly key: string }
  /** Answer `status` with `Location: location`. */
  | { readonly kind: "redirect"; readonly status: number; readonly location: string }
  /**
   * 404 NoSuchKey for `key`: serve `errorDocument` (an existing key) with the 404 status, or
   * S3's own HTML error page when it is absent.
   */
  | { readonly kind: "not-found"; readonly key: string; readonly errorDocument?: string };

export interface WebsiteRequest {
  /** The decoded request path, starting with `/` (query string removed). */
  readonly path: string;
  /** The protocol a redirect keeps when its rule names none. @default "http" */
  readonly protocol?: string;
  /** The request's Host, for redirects that name no host. */
  readonly host?: string;
}

interface RoutingRule {
  readonly RoutingRuleCondition?: { KeyPrefixEquals?: string; HttpErrorCodeReturnedEquals?: string };
  readonly RedirectRule?: {
    HostName?: string;
    HttpRedirectCode?: string;
    Protocol?: string;
    ReplaceKeyPrefixWith?: string;
    ReplaceKeyWith?: string;
  };
}

/**
 * Undefined when the bucket is not configured as a website (S3's website endpoint then answers
 * 404 NoSuchWebsiteConfiguration). `configuration` is the bucket's whole stored configuration.
 */
export function resolveWebsite(
  configuration: Readonly<Record<string, unknown>>,
  request: WebsiteRequest,
  exists: (key: string) => boolean,
): WebsiteResolution | undefined {
  const website = configuration.WebsiteConfiguration as Record<string, unknown> | undefined;
  if (!website) return undefined;
  const protocol = request.protocol ?? "http";
  const all = website.RedirectAllRequestsTo as { HostName?: string; Protocol?: string } | undefined;
  if (all?.HostName) {
    return {
      kind: "redirect",
      status: 301,
      location: `${all.Protocol ?? protocol}://${all.HostName}${request.path}`,
    };
  }
  const index = indexSuffix(website.IndexDocument);
  const errorKey = errorDocumentKey(website.ErrorDocument);
  const rules = Array.isArray(website.RoutingRules) ? (website.RoutingRules as RoutingRule[]) : [];
  const requested = request.path.replace(/^\//, "");
  const before = routed(rules, requested, undefined, protocol, request.host);
  if (before) return before;
  let resolution: WebsiteResolution;
  if (requested === "" || requested.endsWith("/")) {
    const key = `${requested}${index}`;
    resolution = exists(key) ? { kind: "object", key } : notFound(key, errorKey, exists);
  } else if (exists(requested)) {
    resolution = { kind: "object", key: requested };
  } else if (exists(`${requested}/${index}`)) {
    resolution = { kind: "redirect", status: 302, location: `/${requested}/` };
  } else {
    resolution = notFound(requested, errorKey, exists);
  }
  if (resolution.kind === "not-found") {
    return routed(rules, requested, "404", protocol, request.host) ?? resolution;
  }
  return resolution;
}

function notFound(
  key: string,
  errorKey: string | undefined,
  exists: (key: string) => boolean,
): WebsiteResolution {
  return errorKey !== undefined && exists(errorKey)
    ? { kind: "not-found", key, errorDocument: errorKey }
    : { kind: "not-found", key };
}

/** The redirect of the first routing rule whose condition holds (S3 checks them in order). */
function routed(
  rules: readonly RoutingRule[],
  key: string,
  errorCode: string | undefined,
  protocol: string,
  host: string | undefined,
): WebsiteResolution | undefined {
  for (const rule of rules) {
    const condition = rule.RoutingRuleCondition ?? {};
    const redirect = rule.RedirectRule;
    if (!redirect) continue;
    if (condition.KeyPrefixEquals !== undefined && !key.startsWith(condition.KeyPrefixEquals)) continue;
    // A rule conditioned on an error code applies only once the request failed with it.
    if ((condition.HttpErrorCodeReturnedEquals ?? undefined) !== errorCode) continue;
    let target = key;
    if (redirect.ReplaceKeyWith !== undefined) target = redirect.ReplaceKeyWith;
    else if (redirect.ReplaceKeyPrefixWith !== undefined) {
      const prefix = condition.KeyPrefixEquals ?? "";
      target = redirect.ReplaceKeyPrefixWith + key.slice(prefix.length);
    }
    const where = redirect.HostName ?? host;
    const location = where ? `${redirect.Protocol ?? protocol}://${where}/${target}` : `/${target}`;
    return { kind: "redirect", status: Number(redirect.HttpRedirectCode ?? 301), location };
  }
  return undefined;
}

/** CloudFormation writes the index document as a string; the S3 API as `{ Suffix }`. */
function indexSuffix(value: unknown): string {
  if (typeof value === "string") return value;
  const suffix = (value as { Suffix?: unknown } | undefined)?.Suffix;
  return typeof suffix === "string" ? suffix : "index.html";
}

function errorDocumentKey(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const key = (value as { Key?: unknown } | undefined)?.Key;
  return typeof key === "string" ? key : undefined;
}
