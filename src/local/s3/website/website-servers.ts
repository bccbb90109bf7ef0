/**
 * A local URL for each website bucket of the definition, like the app's API servers: started
 * with `dev`, kept (with its port) across reloads, started or stopped when a reload adds or
 * removes a bucket's `website`. The servers read the current cloud's store on each request.
 */
import type { AppSpec } from "../../../model/app-spec.ts";
import type { FrontDoorOptions } from "../../front-door/index.ts";
import type { S3Store } from "../s3-store.ts";
import { startWebsiteServer, type WebsiteServer } from "./website-server.ts";

export interface WebsiteServersOptions extends FrontDoorOptions {
  /** The current definition and its S3 (read on every request and every sync). */
  readonly current: () => { readonly spec: AppSpec; readonly s3: S3Store } | undefined;
  /** @default "127.0.0.1" */
  readonly host?: string;
}

/** Definition name → website URL. */
export type WebsiteUrls = Readonly<Record<string, string>>;

export class WebsiteServers {
  /** Physical bucket name → its server. */
  private readonly servers = new Map<string, WebsiteServer>();
  /** Ports a restarted server takes again. */
  private readonly ports = new Map<string, number>();

  constructor(private readonly options: WebsiteServersOptions) {}

  /** By the definition's bucket names, for the banner. */
  get urls(): WebsiteUrls {
    const urls: Record<string, string> = {};
    for (const bucket of Object.values(this.options.current()?.spec.buckets ?? {})) {
      const server = this.servers.get(bucket.bucketName);
      if (server) urls[bucket.name] = server.url;
    }
    return urls;
  }

  /** Physical bucket name → URL, for `sluice buckets`. */
  urlOf(bucketName: string): string | undefined {
    return this.servers.get(bucketName)?.url;
  }

  async sync(): Promise<void> {
    const wanted = new Set(
      Object.values(this.options.current()?.spec.buckets ?? {})
        .filter((b) => b.website !== undefined)
        .map((b) => b.bucketName),
    );
    for (const [name, server] of this.servers) {
      if (wanted.has(name)) continue;
      this.servers.delete(name);
      await server.close();
    }
    for (const name of wanted) {
      if (this.servers.has(name)) continue;
      const server = await startWebsiteServer({
        store: () => this.options.current()?.s3,
        bucket: name,
        port: this.ports.get(name) ?? 0,
        ...(this.options.host === undefined ? {} : { host: this.options.host }),
        ...(this.options.allowedHosts === undefined ? {} : { allowedHosts: this.options.allowedHosts }),
        ...(this.options.timeouts === undefined ? {} : { timeouts: this.options.timeouts }),
      });
      this.ports.set(name, server.port);
      this.servers.set(name, server);
    }
  }

  async close(): Promise<void> {
    const servers = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(servers.map((s) => s.close()));
  }
}
