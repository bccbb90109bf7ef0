/**
 * `sluice dev`'s endpoint: the control API and AWS's wire protocols on one server, and what each
 * function's environment needs to reach it as itself (AWS_ENDPOINT_URL, credentials of its own,
 * resource discovery variables). The server starts before any function can, so the URL is known.
 */

import type { DrillOperations } from "../local/drill-operations.ts";
import {
  type ConsoleOptions,
  CredentialIssuer,
  createAwsHandler,
  type EndpointEvent,
  type EndpointServer,
  type IamMode,
  s3CrossOrigin,
  startEndpoint,
} from "../local/endpoint/index.ts";
import type { FrontDoorOptions } from "../local/front-door/index.ts";
import type { FunctionCodeFile } from "../local/lambda/index.ts";
import type { LocalCloud } from "../local/local-cloud.ts";
import { directOperations } from "../local/operations.ts";
import type { FunctionSpec } from "../model/app-spec.ts";
import { fleetCredentialName } from "../model/fleet-roles.ts";
import { queueUrl } from "../model/naming.ts";
import { resourceVariables } from "../model/resource-variables.ts";
import { regionTraceOperations } from "./region-trace-operations.ts";

export interface DevEndpointOptions extends FrontDoorOptions {
  /**
   * The cloud that serves a region (the region a call's SigV4 scope names); without a region, or
   * for one dev does not run, the primary's, whose resource checks answer for another region as
   * AWS does for a resource that is not there (resource-scope.ts).
   */
  readonly cloud: (region?: string) => LocalCloud | undefined;
  /**
   * Every region's cloud, for what names a bucket but no region (a CORS preflight is unsigned):
   * physical bucket names carry the region, so the one cloud holding the bucket answers.
   * @default the primary's alone
   */
  readonly clouds?: () => readonly LocalCloud[];
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
  /** The failover drills the control API serves (`sluice fail`, `heal`, `health`). */
  readonly drills?: DrillOperations;
  /** The console page (issue 20) under `/_sluice/console/<token>/`. @default none */
  readonly console?: ConsoleOptions;
}

export interface DevEndpoint {
  readonly server: EndpointServer;
  /** Variables for a function's environment in a region: endpoint, its own credentials, discovery. */
  environment(fn: FunctionSpec, region?: string): Record<string, string>;
  /**
   * Variables for a server fleet dev runs in-process (issue 19): the endpoint and credentials of
   * the fleet's own, which the endpoint checks against the fleet's role (the union of its
   * functions' grants, as the instance role on AWS holds them: model/fleet-grants.ts).
   */
  fleetEnvironment(fleet: string): Record<string, string>;
}

export async function startDevEndpoint(options: DevEndpointOptions): Promise<DevEndpoint> {
  const credentials = new CredentialIssuer();
  let url = "";
  // A region dev does not run gets the primary's cloud, whose operations refuse the region.
  const regionOperations = (region: string | undefined) =>
    directOperations(
      () => {
        const cloud = options.cloud(region);
        if (!cloud) throw new Error("the local cloud is not open yet");
        return cloud;
      },
      (bucketName) => options.websiteUrl?.(bucketName),
    );
  const server = await startEndpoint({
    // The CLI's operations act on the primary region; invoke, send and tables on the one they name.
    ops: {
      ...regionOperations(undefined),
      invoke: (request) => regionOperations(request.region).invoke(request),
      send: (request) => regionOperations(request.region).send(request),
      tables: (region) => regionOperations(region).tables(region),
      // Traces and counters merged over the regions' clouds; actions on the primary or the named one.
      ...regionTraceOperations(() => regionClouds(options), regionOperations),
      ...(options.drills === undefined ? {} : { drills: options.drills }),
    },
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
    crossOrigin: (req, res) => {
      for (const cloud of options.clouds?.() ?? [options.cloud()]) {
        const verdict = s3CrossOrigin({
          cloud: () => cloud,
          secretOf: (accessKeyId) => credentials.secretOf(accessKeyId),
        })(req, res);
        if (verdict !== undefined) return verdict;
      }
      return undefined;
    },
    onError: (operation, error) => options.onEvent?.({ type: "endpoint-error", operation, error }),
    // The console's live updates follow the primary region's hops (local/console/changes.ts).
    changes: () => options.cloud()?.traces,
    ...(options.console ? { console: options.console } : {}),
    ...(options.host ? { host: options.host } : {}),
    port: options.port,
    allowedHosts: options.allowedHosts,
    timeouts: options.timeouts,
  });
  url = server.url;
  return {
    server,
    environment(fn, region) {
      // Discovery names its own region's resources (bucket names carry the region).
      const cloud = options.cloud(region);
      const discovery = cloud
        ? resourceVariables(cloud.spec, fn, (queue) => queueUrl(url, cloud.spec, queue))
        : {};
      return { AWS_ENDPOINT_URL: url, ...credentials.forFunction(fn.functionName), ...discovery };
    },
    fleetEnvironment(fleet) {
      return { AWS_ENDPOINT_URL: url, ...credentials.forFunction(fleetCredentialName(fleet)) };
    },
  };
}

/** Every region's cloud that is open, the primary's first. */
function regionClouds(options: DevEndpointOptions): LocalCloud[] {
  const primary = options.cloud();
  const all = options.clouds?.() ?? [];
  return [...(primary ? [primary] : []), ...all.filter((cloud) => cloud !== primary)];
}
