/**
 * The local account's Route 53 API (REST-XML, signing name `route53`), as far as `sluice deploy`
 * and `sluice status` call it: GetHealthCheckStatus (what the account's single local checker saw
 * last, one observation) and ListHostedZonesByName (the zone of a name: the local account holds
 * every public zone it is asked about, under an ID derived from its name, as the providers do).
 * Other operations answer InvalidAction. Paths and query values are data, never object keys.
 * Input the API model rejects (a HealthCheckId over 64 characters, a maxitems that is not an
 * integer) is InvalidInput (400), as both operations' error lists give it, before any look-up.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { canonicalDnsName, isDnsName } from "../../model/dns-name.ts";
import { LIMITS } from "../../model/limits.ts";
import { localHostedZoneId } from "../cloudformation/index.ts";
import type { HealthCheckStatus } from "../route53/index.ts";
import { element, escapeXml, sendXml, text } from "../wire/index.ts";

const XMLNS = "https://route53.amazonaws.com/doc/2013-04-01/";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const VERSION = "/2013-04-01";
/** Where the one local checker reports from: Route 53 names each checker by its region. */
const CHECKER_REGION = "us-east-1";
const CHECKER_ADDRESS = "127.0.0.1";
const HEALTH_CHECK_STATUS = new RegExp(`^${VERSION}/healthcheck/([^/]+)/status$`);

export interface Route53Account {
  /** The check's state, or undefined when no deployed health check has the id. */
  healthCheckStatus(id: string): HealthCheckStatus | undefined;
  /** Whether a health check with the id is deployed (it may not have been pinged yet). */
  hasHealthCheck(id: string): boolean;
  /** Zones the deployed record sets are in, for a listing without a name. */
  zones(): readonly string[];
}

export async function handleRoute53(
  account: Route53Account,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://local");
  const status = HEALTH_CHECK_STATUS.exec(url.pathname);
  if (req.method === "GET" && status) {
    const id = safeDecode(status[1] ?? "");
    // The ID's length is checked before it is looked up: a validation error, not a missing check.
    if (id.length > LIMITS.route53.healthCheckId.max) {
      return sendError(
        res,
        400,
        "InvalidInput",
        validationMessage(
          id,
          "healthCheckId",
          `length less than or equal to ${LIMITS.route53.healthCheckId.max}`,
        ),
        requestId,
      );
    }
    if (!account.hasHealthCheck(id)) {
      return sendError(
        res,
        404,
        "NoSuchHealthCheck",
        `A health check with id ${id} does not exist.`,
        requestId,
      );
    }
    return sendXml(res, 200, healthCheckStatusXml(account.healthCheckStatus(id)), requestId);
  }
  if (req.method === "GET" && url.pathname === `${VERSION}/hostedzonesbyname`) {
    const asked = url.searchParams.get("dnsname");
    if (asked !== null && !isDnsName(canonicalDnsName(asked))) {
      return sendError(res, 400, "InvalidDomainName", `${asked} is not a valid domain name.`, requestId);
    }
    const maxItems = url.searchParams.get("maxitems");
    if (maxItems !== null && !/^\d+$/.test(maxItems)) {
      return sendError(
        res,
        400,
        "InvalidInput",
        validationMessage(maxItems, "maxItems", "be an integer"),
        requestId,
      );
    }
    return sendXml(res, 200, hostedZonesXml(account, url.searchParams), requestId);
  }
  sendError(
    res,
    400,
    "InvalidAction",
    "The local Route 53 answers GetHealthCheckStatus and ListHostedZonesByName only.",
    requestId,
  );
}

/** One observation: the local checker's last result, worded as Route 53 words its status reports. */
function healthCheckStatusXml(status: HealthCheckStatus | undefined): string {
  const last = status?.lastResults.at(-1);
  const observation =
    last === undefined
      ? ""
      : element(
          "HealthCheckObservation",
          text("Region", CHECKER_REGION) +
            text("IPAddress", CHECKER_ADDRESS) +
            element(
              "StatusReport",
              text(
                "Status",
                last.ok
                  ? `Success: HTTP Status Code ${last.statusCode ?? 200}, OK`
                  : last.statusCode !== undefined
                    ? `Failure: HTTP Status Code ${last.statusCode}.`
                    : `Failure: ${last.error ?? "no response"}.`,
              ) + text("CheckedTime", new Date(last.atMs).toISOString()),
            ),
        );
  return `${DECLARATION}<GetHealthCheckStatusResponse xmlns="${XMLNS}">${element(
    "HealthCheckObservations",
    observation,
  )}</GetHealthCheckStatusResponse>`;
}

function hostedZonesXml(account: Route53Account, query: URLSearchParams): string {
  const asked = query.get("dnsname");
  const max = Number(query.get("maxitems") ?? "100");
  const names = asked ? [canonicalDnsName(asked)] : [...new Set(account.zones())].sort();
  const zones = names
    .slice(0, Number.isInteger(max) && max > 0 ? max : 100)
    .map((name) =>
      element(
        "HostedZone",
        text("Id", `/hostedzone/${localHostedZoneId(name)}`) +
          text("Name", `${name}.`) +
          text("CallerReference", `sluice-local-${name}`) +
          element("Config", text("PrivateZone", false)) +
          text("ResourceRecordSetCount", 2),
      ),
    );
  return `${DECLARATION}<ListHostedZonesByNameResponse xmlns="${XMLNS}">${element("HostedZones", zones.join(""))}${
    asked ? text("DNSName", `${canonicalDnsName(asked)}.`) : ""
  }${text("IsTruncated", false)}${text("MaxItems", Number.isInteger(max) && max > 0 ? max : 100)}</ListHostedZonesByNameResponse>`;
}

/**
 * Route 53's wording of a request value that breaks its API model's constraint (the shape AWS
 * services give a validation error; the constraint is the API reference's).
 */
function validationMessage(value: string, member: string, constraint: string): string {
  return `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must ${
    constraint.startsWith("be ") ? constraint : `have ${constraint}`
  }`;
}

/** A path segment as text; one that is not valid percent-encoding stays as it came (and names nothing). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
): void {
  const body = `${DECLARATION}<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${escapeXml(
    code,
  )}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  sendXml(res, status, body, requestId);
}
