/**
 * `sluice dev`'s local clouds, one per region it runs (one in a single-region app): each with its
 * own state folder, its own HTTP/WebSocket API servers and website servers, all on one clock and
 * one set of bundles. Regions are a dimension, not a copy: cross-region behaviour (replication,
 * failover) composes these from outside (dev-session.ts).
 */

import { ApiServers, type ApiUrls } from "../local/api-servers.ts";
import type { ApiAccess } from "../local/apigateway/index.ts";
import type { Clock } from "../local/clock/index.ts";
import type { FrontDoorOptions } from "../local/front-door/index.ts";
import type { FunctionCode } from "../local/lambda/index.ts";
import { type CloudEvent, LocalCloud } from "../local/local-cloud.ts";
import { WebsiteServers, type WebsiteUrls } from "../local/s3/index.ts";
import type { AppSpec, FunctionSpec } from "../model/app-spec.ts";

export interface RegionCloudsOptions extends FrontDoorOptions {
  /** The regions, primary first. */
  readonly regions: readonly string[];
  /** A region's state folder. */
  readonly stateDir: (region: string) => string;
  /** Where the one local CA of every region lives (LocalCloudOptions.caDir). */
  readonly caDir: string;
  readonly clock: Clock;
  readonly code: (fn: FunctionSpec) => FunctionCode;
  /** Extra variables for a function's environment in a region. */
  readonly environment: (fn: FunctionSpec, region: string) => Record<string, string>;
  /** The endpoint's URL, which state machines' queue URLs point at (LocalCloudOptions.endpointUrl). */
  readonly endpointUrl?: (() => string | undefined) | undefined;
  /** Variables set on a function in a region outside its definition (a drill's switch), shown as its own. */
  readonly variables?: ((fn: FunctionSpec, region: string) => Record<string, string>) | undefined;
  readonly idleTimeoutMs?: number | undefined;
  readonly inactiveAfterMs?: number | undefined;
  readonly maxEnvironments?: number | undefined;
  readonly host?: string | undefined;
  /** Ports of the primary's APIs (other regions take free ones). @default 0 */
  readonly httpPort?: number | undefined;
  readonly websocketPort?: number | undefined;
  /** A cloud's event, with the region whose cloud it came from. */
  readonly onEvent?: ((event: CloudEvent, region: string) => void) | undefined;
  readonly onAccess?: ((access: ApiAccess, region: string) => void) | undefined;
  /** True while a region's APIs answer as an outage (`sluice fail region`, region-drills.ts). */
  readonly unavailable?: ((region: string) => boolean) | undefined;
}

interface RegionCloud {
  cloud: LocalCloud;
  apis?: ApiServers;
  websites?: WebsiteServers;
}

export class RegionClouds {
  private readonly byRegion = new Map<string, RegionCloud>();

  constructor(private readonly options: RegionCloudsOptions) {}

  get primary(): string {
    return this.options.regions[0] as string;
  }

  /** The region's cloud; undefined before `open` and for a region dev does not run. */
  cloudOf(region: string): LocalCloud | undefined {
    return this.byRegion.get(region)?.cloud;
  }

  apiUrlsOf(region: string): ApiUrls {
    return this.byRegion.get(region)?.apis?.urls ?? {};
  }

  websiteUrlsOf(region: string): WebsiteUrls {
    return this.byRegion.get(region)?.websites?.urls ?? {};
  }

  /** The website URL of a bucket (physical names carry the region, so one region has it). */
  websiteUrl(bucketName: string): string | undefined {
    for (const { cloud, websites } of this.byRegion.values()) {
      const bucket = Object.values(cloud.spec.buckets ?? {}).find((b) => b.bucketName === bucketName);
      if (bucket) return websites?.urls[bucket.name];
    }
    return undefined;
  }

  all(): LocalCloud[] {
    return [...this.byRegion.values()].map((r) => r.cloud);
  }

  /** Opens and starts every region's cloud on its spec (closing the ones open before). */
  async open(specs: ReadonlyMap<string, AppSpec>): Promise<void> {
    await Promise.all([...this.byRegion.values()].map((r) => r.cloud.close()));
    for (const region of this.options.regions) {
      const spec = specs.get(region);
      if (!spec) throw new Error(`no spec for region ${region}`);
      const cloud = this.openCloud(spec, region);
      const existing = this.byRegion.get(region);
      if (existing) existing.cloud = cloud;
      else this.byRegion.set(region, { cloud });
      cloud.start();
    }
  }

  /** Starts (or, after a definition change, syncs) every region's API and website servers. */
  async syncServers(): Promise<void> {
    for (const region of this.options.regions) {
      const entry = this.byRegion.get(region);
      if (!entry) continue;
      if (!entry.apis) entry.apis = await this.startApis(region);
      else await entry.apis.sync();
      entry.websites ??= new WebsiteServers({
        current: () => this.cloudOf(region),
        ...this.frontDoor(),
      });
      await entry.websites.sync();
    }
  }

  /** Stops every server and cloud; safe on a partly started set. */
  async close(): Promise<void> {
    const entries = [...this.byRegion.values()];
    await Promise.allSettled(entries.flatMap((e) => [e.apis?.close(), e.websites?.close()]));
    await Promise.allSettled(entries.map((e) => e.cloud.close()));
  }

  private startApis(region: string): Promise<ApiServers> {
    const primary = region === this.primary;
    return ApiServers.start({
      backend: () => this.cloudOf(region) as LocalCloud,
      ...this.frontDoor(),
      httpPort: primary ? this.options.httpPort : 0,
      websocketPort: primary ? this.options.websocketPort : 0,
      onAccess: (access) => this.options.onAccess?.(access, region),
      unavailable: () => this.options.unavailable?.(region) === true,
      // The servers outlive a restarted cloud: the request hops go to the current one's store.
      tracer: { record: (hop) => this.cloudOf(region)?.traces.record(hop) },
    });
  }

  private frontDoor() {
    const { host, allowedHosts, timeouts } = this.options;
    return {
      ...(host ? { host } : {}),
      ...(allowedHosts ? { allowedHosts } : {}),
      ...(timeouts ? { timeouts } : {}),
    };
  }

  private openCloud(spec: AppSpec, region: string): LocalCloud {
    const { options } = this;
    return new LocalCloud({
      spec,
      stateDir: options.stateDir(region),
      caDir: options.caDir,
      clock: options.clock,
      code: options.code,
      idleTimeoutMs: options.idleTimeoutMs,
      inactiveAfterMs: options.inactiveAfterMs,
      maxEnvironments: options.maxEnvironments,
      environment: (fn) => options.environment(fn, region),
      ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
      variables: (fn) => options.variables?.(fn, region) ?? {},
      onEvent: (event) => options.onEvent?.(event, region),
    });
  }
}
