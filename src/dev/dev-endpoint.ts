/**
 * `sluice dev`'s endpoint: the control API and AWS's wire protocols on one server, and what each
 * function's environment needs to reach it as itself (AWS_ENDPOINT_URL, credentials of its own,
 * resource discovery variables). The server starts before any function can, so the URL is known.
 */
import type { FunctionSpec } from "../model/app-spec.ts";
import { queueUrl } from "../model/naming.ts";
import { resourceVariables } from "../model/resource-variables.ts";
import {
  type EndpointEvent,
  createAwsHandler,
  type EndpointServer,
  startEndpoint,
  CredentialIssuer,
  type IamMode,
  s3CrossOrigin,
} from "../local/endpoint/index.ts";
import type { FunctionCodeFile } from "../local/lambda/index.ts";
import type { FrontDoorOptions } from "../local/front-door/index.ts";
import type { LocalCloud } from "../local/local-cloud.ts";
import { directOperations } from "../local/operations.ts";

export interface DevEndpointOptions extends FrontDoorOptions {
  readonly cloud: () => LocalCloud | undefined;
  readonly code: (fn: FunctionSpec) => FunctionCodeFile | undefined;
  /** @default "warn" */
  readonly iam?: IamMode;
  /** Now on dev's clock, which presigned S3 URLs expire by. @default Date.now */
  readonly now?: () => number;
  readonly host?: string;
  readonly port?: number;
  readonly onEvent?: (event: EndpointEvent) => void;
  /** The local website URL of a bucket (physical name), for `sluice buckets`. */
  readonly websiteUrl?: (bucketName: string) => string | undefined;
}

export interface DevEndpoint {
  readonly server: EndpointServer;
  /** Variables for a function's environment: endpoint, its own credentials, discovery. */
  environment(fn: FunctionSpec): Record<string, string>;
}

export async function startDevEndpoint(options: DevEndpointOptions): Promise<DevEndpoint> {
  const credentials = new CredentialIssuer();
  let url = "";
  const server = await startEndpoint({
    ops: directOperations(
      () => {
        const cloud = options.cloud();
        if (!cloud) throw new Error("the local cloud is not open yet");
        return cloud;
      },
      (bucketName) => options.websiteUrl?.(bucketName),
    ),
    aws: createAwsHandler({
      cloud: options.cloud,
      endpointUrl: () => url,
      iam: options.iam ?? "warn",
      identify: (accessKeyId) => credentials.identify(accessKeyId),
      secretOf: (accessKeyId) => credentials.secretOf(accessKeyId),
      ...(options.now ? { now: options.now } : {}),
      code: options.code,
      onEvent: options.onEvent,
    }),
    crossOrigin: s3CrossOrigin({
      cloud: options.cloud,
      secretOf: (accessKeyId) => credentials.secretOf(accessKeyId),
    }),
    onError: (operation, error) => options.onEvent?.({ type: "endpoint-error", operation, error }),
    ...(options.host ? { host: options.host } : {}),
    port: options.port,
    allowedHosts: options.allowedHosts,
    timeouts: options.timeouts,
  });
  url = server.url;
  return {
    server,
    environment(fn) {
      const cloud = options.cloud();
      const discovery = cloud
        ? resourceVariables(cloud.spec, fn, (queue) => queueUrl(url, cloud.spec, queue))
        : {};
      return { AWS_ENDPOINT_URL: url, ...credentials.forFunction(fn.functionName), ...discovery };
    },
  };
}
