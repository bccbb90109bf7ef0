/**
 * The AWS side of the local endpoint: recognises each wire protocol and hands the call to its
 * handler. SQS JSON by `X-Amz-Target: AmazonSQS.*`, DynamoDB by `DynamoDB_20120810.*` and its
 * Streams by `DynamoDBStreams_20120810.*`, Step Functions by `AWSStepFunctions.*`; Lambda by its
 * REST paths; the query protocol (SQS, STS) by a form body with an `Action`, told apart by the
 * SigV4 signing name, then by the action; S3 by the signing name `s3` (its presigned URLs' expiry
 * and, for keys the host issued, signatures checked first). Every call learns who signed it, so IAM can be checked per function.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FunctionSpec } from "../../model/app-spec.ts";
import {
  DYNAMODB_TARGET_PREFIX,
  handleDynamoDbJson,
  handleStreamsJson,
  STREAMS_TARGET_PREFIX,
} from "../dynamodb/index.ts";
import { EVENTS_TARGET_PREFIX, handleEventsJson } from "../events/index.ts";
import { type FunctionCodeFile, handleLambda, LAMBDA_PREFIX } from "../lambda/index.ts";
import type { LocalCloud } from "../local-cloud.ts";
import { handleSqsJson, handleSqsQuery, SQS_TARGET_PREFIX } from "../sqs/index.ts";
import { handleSfnJson, SFN_TARGET_PREFIX } from "../stepfunctions/index.ts";
import { handleSts } from "../sts/index.ts";
import { queryTree, readBody } from "../wire/index.ts";
import { refuseAws } from "./aws-refusal.ts";
import { EndpointCall } from "./endpoint-call.ts";
import { type IamDeniedEvent, IamGuard, type IamMode } from "./iam-guard.ts";
import { refusedRegion } from "./region-refusal.ts";
import { type RequestUrl, requestUrl } from "./request-url.ts";
import { sendS3Refusal, serveS3 } from "./s3-calls.ts";
import { s3SignatureRefusal } from "./s3-signature.ts";
import { signatureRefusal } from "./signature-check.ts";
import { signedBy } from "./sigv4-identity.ts";

export type EndpointEvent =
  | IamDeniedEvent
  /** A handler failed unexpectedly (a bug); the caller got InternalError. */
  | { readonly type: "endpoint-error"; readonly operation: string; readonly error: unknown };

/** Where an account-level service call runs: the region its SigV4 scope names. */
export interface ServiceCallContext {
  readonly region: string;
  readonly requestId: string;
}

/**
 * Services of the whole account that a host may add beside the cloud's (`sluice cloud` does):
 * they answer without a running cloud, so a first deploy can reach them.
 */
export interface AccountServices {
  /** S3's REST protocol: calls whose SigV4 scope names the `s3` service. */
  readonly s3?: (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    context: ServiceCallContext,
  ) => Promise<void>;
  /** CloudFormation's query protocol: calls whose SigV4 scope names the `cloudformation` service. */
  readonly cloudformation?: (
    params: URLSearchParams,
    context: ServiceCallContext,
    res: ServerResponse,
  ) => Promise<void>;
  /**
   * Elastic Load Balancing v2's query protocol: calls whose SigV4 scope names the
   * `elasticloadbalancing` service (`sluice cloud`: a server fleet's target health).
   */
  readonly elbv2?: (
    params: URLSearchParams,
    context: ServiceCallContext,
    res: ServerResponse,
  ) => Promise<void>;
  /**
   * EC2's query protocol: calls whose SigV4 scope names the `ec2` service (`sluice cloud`: the
   * default VPC and subnets a server fleet's deploy looks up).
   */
  readonly ec2?: (params: URLSearchParams, context: ServiceCallContext, res: ServerResponse) => void;
  /** Route 53's REST-XML protocol: calls whose SigV4 scope names the `route53` service (global, us-east-1). */
  readonly route53?: (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    context: ServiceCallContext,
  ) => Promise<void>;
  /** CloudWatch Logs' JSON protocol: `X-Amz-Target: Logs_20140328.*`. */
  readonly logs?: (
    target: string,
    body: Buffer,
    context: ServiceCallContext,
    res: ServerResponse,
  ) => Promise<void>;
}

const LOGS_TARGET = "Logs_20140328.";
/** The largest S3 request body (one PutObject or UploadPart) the endpoint takes. */
export const S3_BODY_LIMIT = 512 * 1024 * 1024;
/** The region of an unsigned call (or one whose scope names none). */
const DEFAULT_REGION = "us-east-1";

export interface AwsEndpointOptions {
  /**
   * The cloud to serve a call, by the region its SigV4 scope names (undefined when unsigned); read
   * per call, as `dev` replaces its one cloud when the definition changes.
   */
  readonly cloud: (region: string | undefined) => LocalCloud | undefined;
  /** Account-level services (S3, CloudFormation, CloudWatch Logs). @default none */
  readonly services?: AccountServices;
  /** The endpoint's URL, known once the server listens. */
  readonly endpointUrl: () => string;
  /** @default "warn" */
  readonly iam?: IamMode;
  /** The physical name of the function an access key id was issued to. */
  readonly identify?: (accessKeyId: string) => string | undefined;
  /** The secret of an access key the host issued, so S3 signatures made with it are verified. */
  readonly secretOf?: (accessKeyId: string) => string | undefined;
  /** Now on Sluice's clock, which presigned URLs expire by. @default Date.now */
  readonly now?: () => number;
  /** The bundle a function runs, for GetFunction's code size and hash. */
  readonly code?: (fn: FunctionSpec) => FunctionCodeFile | undefined;
  readonly onEvent?: (event: EndpointEvent) => void;
}

export type AwsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createAwsHandler(options: AwsEndpointOptions): AwsHandler {
  const guard = new IamGuard(options.iam ?? "warn", (event) => options.onEvent?.(event));
  return async (req, res) => {
    const url = requestUrl(req.url);
    // As AWS: a call that says nothing of who signed it is refused before any service sees it.
    const query = url.search === "" ? undefined : url.searchParams;
    const unsigned = signatureRefusal(req.headers, query);
    if (unsigned) return refuseAws(req, res, unsigned);
    const signer = signedBy(req.headers, query);
    if (refusedRegion(req, res, signer)) return;
    if (signer?.service === "s3") {
      const now = options.now?.() ?? Date.now();
      const refused = s3SignatureRefusal(req, {
        now,
        ...(options.secretOf ? { secretOf: options.secretOf } : {}),
      });
      if (refused) return sendS3Refusal(res, refused, randomUUID(), req.method === "HEAD");
      // An object opened in a browser (a presigned link may be followed from any site) is shown
      // without running its scripts: on this origin a script could call everything with a made-up
      // key, which S3's own origin would not allow. Clients and `<img>`/`fetch` ignore the header.
      res.setHeader("content-security-policy", "sandbox");
    }
    if (options.services && (await serveAccountCall(options.services, req, res, url, signer))) return;
    const cloud = options.cloud(signer?.region);
    if (!cloud) {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "the local cloud is starting; retry" }));
      return;
    }
    if (signer?.service === "s3") {
      // Objects are held in memory while they are stored, as for `sluice cloud`'s account S3.
      const body = await readBody(req, S3_BODY_LIMIT);
      await serveS3(
        req,
        res,
        body,
        new EndpointCall(cloud, options, guard, res, randomUUID(), signer.accessKeyId, signer.region),
      );
      return;
    }
    const body = await readBody(req);
    const call = new EndpointCall(
      cloud,
      options,
      guard,
      res,
      randomUUID(),
      signer?.accessKeyId,
      signer?.region,
    );
    const target = req.headers["x-amz-target"];
    if (url.pathname.startsWith(LAMBDA_PREFIX)) {
      await handleLambda(
        {
          req,
          path: url.pathname,
          query: url.searchParams,
          body,
          ...(options.code ? { code: options.code } : {}),
        },
        call,
        res,
      );
      return;
    }
    if (typeof target === "string" && target.startsWith(SQS_TARGET_PREFIX)) {
      await handleSqsJson(target, body, call, res);
      return;
    }
    if (typeof target === "string" && target.startsWith(EVENTS_TARGET_PREFIX)) {
      await handleEventsJson(target, body, call, res);
      return;
    }
    if (typeof target === "string" && target.startsWith(DYNAMODB_TARGET_PREFIX)) {
      await handleDynamoDbJson(target, body, call, res);
      return;
    }
    if (typeof target === "string" && target.startsWith(STREAMS_TARGET_PREFIX)) {
      await handleStreamsJson(target, body, call, res);
      return;
    }
    if (typeof target === "string" && target.startsWith(SFN_TARGET_PREFIX)) {
      await handleSfnJson(target, body, call, res);
      return;
    }
    const params = new URLSearchParams(url.search);
    if (isForm(req)) for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params.append(k, v);
    const action = params.get("Action");
    if (action !== null) {
      const sts =
        signer?.service === "sts" ||
        (signer?.service !== "sqs" &&
          (action === "GetCallerIdentity" || params.get("Version") === "2011-06-15"));
      if (sts) handleSts(action, call, res);
      else await handleSqsQuery(queryTree(params), call, res);
      return;
    }
    const text = JSON.stringify({
      message: `Sluice's endpoint serves SQS (JSON and query protocols), Lambda, EventBridge, DynamoDB, DynamoDB Streams, Step Functions, S3 and STS; ${req.method} ${url.pathname} is none of them.`,
    });
    res.writeHead(404, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };
}

/** Serves the call when an account-level service takes it; false when none does. */
async function serveAccountCall(
  services: AccountServices,
  req: IncomingMessage,
  res: ServerResponse,
  url: RequestUrl,
  signer: ReturnType<typeof signedBy>,
): Promise<boolean> {
  const target = req.headers["x-amz-target"];
  const logs = services.logs && typeof target === "string" && target.startsWith(LOGS_TARGET);
  const s3 = services.s3 && signer?.service === "s3";
  const cloudformation = services.cloudformation && signer?.service === "cloudformation";
  const route53 = services.route53 && signer?.service === "route53";
  const elbv2 = services.elbv2 && signer?.service === "elasticloadbalancing";
  const ec2 = services.ec2 && signer?.service === "ec2";
  if (!logs && !s3 && !cloudformation && !route53 && !elbv2 && !ec2) return false;
  const context = { region: signer?.region ?? DEFAULT_REGION, requestId: randomUUID() };
  // Objects are held in memory while they are stored: larger than Lambda's payloads, far below S3's 5 GB.
  const body = await readBody(req, s3 ? S3_BODY_LIMIT : undefined);
  if (logs) await services.logs?.(target as string, body, context, res);
  else if (s3) await services.s3?.(req, res, body, context);
  else if (route53) await services.route53?.(req, res, body, context);
  else {
    const params = new URLSearchParams(url.search);
    if (isForm(req)) for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params.append(k, v);
    if (elbv2) await services.elbv2?.(params, context, res);
    else if (ec2) services.ec2?.(params, context, res);
    else await services.cloudformation?.(params, context, res);
  }
  return true;
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");
}
