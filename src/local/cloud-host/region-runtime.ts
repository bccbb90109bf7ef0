/**
 * One region of the local account: the LocalCloud that runs the region's deployed stacks (its own
 * state folder, so queues and their messages outlive rebuilds) and one API server per deployed
 * API, on the port the API was given. `rebuild` closes and reopens the cloud over the region's
 * current resources, as `sluice dev` does when a definition changes.
 */
import { join } from "node:path";
import type { FunctionSpec } from "../../model/app-spec.ts";
import { AwsError } from "../../model/errors.ts";
import { isAwsRegion } from "../../model/regions.ts";
import { ApiServers } from "../api-servers.ts";
import type { Clock } from "../clock/index.ts";
import type { FunctionCode } from "../lambda/index.ts";
import { type CloudEvent, LocalCloud, type LocalCloudOptions } from "../local-cloud.ts";
import { type DeployedResource, type RegionApp, regionApp } from "./region-app.ts";

export interface RegionRuntimeOptions {
  readonly region: string;
  readonly accountId: string;
  /** The account's state folder; this region's is `regions/<region>` in it. */
  readonly stateDir: string;
  readonly clock: Clock;
  /** Address API servers bind. */
  readonly host: string;
  /** Host names the API servers answer besides loopback ones (`--allow-host`). */
  readonly allowedHosts?: readonly string[];
  /** What a deployed function's environment adds to its template's variables (endpoint, credentials). */
  readonly environment: (fn: FunctionSpec) => Record<string, string>;
  /** The account's S3, which the region's functions reach (buckets are the account's, made by CloudFormation). */
  readonly s3?: LocalCloudOptions["s3"];
  readonly onEvent: (event: CloudEvent) => void;
}

export class RegionRuntime {
  private current: { app: RegionApp; cloud: LocalCloud };
  private rebuilding = false;
  /** The last rebuild or close asked for (see inTurn). */
  private turn: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly servers = new Map<string, { port: number; kind: string; servers: ApiServers }>();

  constructor(private readonly options: RegionRuntimeOptions) {
    // The region names this runtime's folder: never a path, whoever asked (see cloud-host `region`).
    if (!isAwsRegion(options.region)) throw invalidRegion(options.region);
    this.current = this.open(regionApp([], options));
  }

  get cloud(): LocalCloud {
    return this.current.cloud;
  }

  /** The cloud while it is open; undefined while a rebuild swaps it (cross-region work waits). */
  get openCloud(): LocalCloud | undefined {
    return this.rebuilding ? undefined : this.current.cloud;
  }

  get app(): RegionApp {
    return this.current.app;
  }

  /** The bundle a function of this region runs. */
  code(fn: FunctionSpec): FunctionCode | undefined {
    return this.current.cloud.spec.functions[fn.name] === fn ? this.current.app.code.get(fn.name) : undefined;
  }

  /** URLs of the region's API servers, by `<stack>/<logicalId>`. */
  apiUrls(): { key: string; apiId: string; kind: string; url: string }[] {
    return this.current.app.apis.flatMap((api) => {
      const urls = this.servers.get(api.key)?.servers.urls;
      const url = api.kind === "http" ? urls?.http : urls?.websocket;
      return url === undefined ? [] : [{ key: api.key, apiId: api.apiId, kind: api.kind, url }];
    });
  }

  /**
   * Runs `work` on the region's open cloud in turn with rebuilds: after every rebuild or close
   * asked before it, so never on a cloud a rebuild has closed and not yet reopened. What another
   * part of the account asks of the region's resources (does a queue or table exist; delete it)
   * goes through here. Fails once the region is closed.
   */
  withCloud<T>(work: (cloud: LocalCloud) => T): Promise<T> {
    return this.inTurn(async () => {
      if (this.closed) throw new Error(`The region ${this.options.region} is closed.`);
      return work(this.current.cloud);
    });
  }

  /**
   * Reopens the cloud over `resources`. When the new app cannot open (a bug, or a queue the
   * engine could not check), the previous app is reopened and the error is thrown.
   */
  rebuild(resources: readonly DeployedResource[]): Promise<void> {
    return this.inTurn(() => this.rebuildNow(resources));
  }

  /**
   * Runs `work` after every rebuild or close asked before it: two at once would each open the
   * region's state file, whose exclusive lock makes the second fail with "database is locked"
   * (the host may rebuild a region from two settling stacks, or while it starts).
   */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work);
    this.turn = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async rebuildNow(resources: readonly DeployedResource[]): Promise<void> {
    // After the close (asked later, or run after it): opens nothing, which no one would close.
    if (this.closed) return;
    const app = regionApp(resources, this.options);
    const previous = this.current.app;
    this.rebuilding = true;
    try {
      await this.current.cloud.close();
      try {
        this.current = this.open(app);
      } catch (error) {
        this.current = this.open(previous);
        throw error;
      }
    } finally {
      this.rebuilding = false;
    }
    await this.syncApis();
  }

  close(): Promise<void> {
    return this.inTurn(async () => {
      if (this.closed) return;
      this.closed = true;
      await Promise.all([...this.servers.values()].map((s) => s.servers.close()));
      this.servers.clear();
      await this.current.cloud.close();
    });
  }

  private open(app: RegionApp): { app: RegionApp; cloud: LocalCloud } {
    const { options } = this;
    const cloud = new LocalCloud({
      spec: app.spec,
      stateDir: join(options.stateDir, "regions", options.region),
      clock: options.clock,
      code: (fn) => {
        const code = app.code.get(fn.name);
        if (!code) throw new Error(`function ${fn.name} has no unpacked code`);
        return code;
      },
      environment: options.environment,
      // Deployed WebSocket APIs live outside the region's spec; their functions call https back.
      trustLocalCa: app.apis.some((api) => api.kind === "websocket"),
      ...(options.s3 ? { s3: options.s3 } : {}),
      onEvent: options.onEvent,
    });
    cloud.start();
    return { app, cloud };
  }

  private async syncApis(): Promise<void> {
    const wanted = new Map(this.current.app.apis.map((api) => [api.key, api]));
    for (const [key, running] of this.servers) {
      const api = wanted.get(key);
      if (!api || api.port !== running.port || api.kind !== running.kind) {
        await running.servers.close();
        this.servers.delete(key);
      }
    }
    for (const api of wanted.values()) {
      const running = this.servers.get(api.key);
      if (running) {
        await running.servers.sync();
        continue;
      }
      const servers = await ApiServers.start({
        backend: () => {
          const spec = this.current.app.apis.find((a) => a.key === api.key)?.spec ?? api.spec;
          const cloud = this.current.cloud;
          return {
            spec,
            clock: cloud.clock,
            // The gateway's trace header and route go with the invoke (issue 20).
            invoke: (name, payload, options) => cloud.invoke(name, payload, options),
            certificateAuthority: cloud.certificateAuthority,
          };
        },
        tracer: { record: (hop) => this.current.cloud.traces.record(hop) },
        host: this.options.host,
        ...(this.options.allowedHosts ? { allowedHosts: this.options.allowedHosts } : {}),
        ...(api.kind === "http" ? { httpPort: api.port } : { websocketPort: api.port }),
      });
      this.servers.set(api.key, { port: api.port, kind: api.kind, servers });
    }
  }
}

/** What AWS answers a credential scoped to a region it does not have (403). */
export function invalidRegion(region: string): AwsError {
  return new AwsError(
    "SignatureDoesNotMatch",
    `Credential should be scoped to a valid region, not '${region}'. `,
    403,
    { region },
  );
}
