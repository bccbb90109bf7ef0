/**
 * A `sluice dev` session of the s3-dev fixture app in this process, on real sockets, with SDK
 * clients pointed at its endpoint as a user's script would point them (path style, and
 * virtual-hosted on `<bucket>.localhost` through an agent that resolves `*.localhost` to
 * 127.0.0.1 as browsers do, RFC 6761).
 */
import { Agent } from "node:http";
import type { LookupFunction } from "node:net";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { SystemClock } from "../../src/local/clock/clock.ts";
import type { IamMode } from "../../src/local/endpoint/iam-guard.ts";
import { ROOT } from "./cli-process.ts";
import { clientConfig, copyAppWithSdk } from "./endpoint.ts";

export const S3_DEV_APP = join(ROOT, "test", "fixtures", "apps", "s3-dev");

export interface S3DevApp {
  readonly dir: string;
  readonly session: DevSession;
  readonly url: string;
  readonly port: number;
  readonly clock: SystemClock;
  readonly events: DevEvent[];
  /** Path style, the user's script credentials. */
  readonly s3: S3Client;
  /** Physical names of the fixture's buckets. */
  readonly buckets: { readonly uploads: string; readonly site: string };
  /** Virtual-hosted style: `<bucket>.localhost:<port>`. */
  virtualHosted(): S3Client;
  /** Invokes a function of the fixture and returns what it returned. */
  call(fn: "presigner" | "stranger", event: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Resolves every name to 127.0.0.1, as browsers resolve `*.localhost`. */
export const loopbackLookup: LookupFunction = (_host, options, callback) => {
  const cb = callback as (...args: unknown[]) => void;
  if ((options as { all?: boolean }).all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
  else cb(null, "127.0.0.1", 4);
};

export async function startS3DevApp(options: { iam?: IamMode } = {}): Promise<S3DevApp> {
  const app = copyAppWithSdk(S3_DEV_APP);
  const events: DevEvent[] = [];
  const clock = new SystemClock();
  const session = await DevSession.start({
    dir: app.dir,
    watch: false,
    clock,
    ...(options.iam ? { iam: options.iam } : {}),
    onEvent: (event) => events.push(event),
  });
  const clients: S3Client[] = [];
  const client = (extra: Record<string, unknown>) => {
    const made = new S3Client({ ...clientConfig(session.url), ...extra });
    clients.push(made);
    return made;
  };
  const buckets = session.spec.buckets ?? {};
  return {
    dir: app.dir,
    session,
    url: session.url,
    port: Number(new URL(session.url).port),
    clock,
    events,
    s3: client({ forcePathStyle: true }),
    buckets: { uploads: buckets.uploads?.bucketName ?? "", site: buckets.site?.bucketName ?? "" },
    virtualHosted: () =>
      client({
        endpoint: session.url.replace("127.0.0.1", "localhost"),
        forcePathStyle: false,
        requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup: loopbackLookup }) }),
      }),
    async call(fn, event) {
      const result = await session.localCloud.invoke(fn, JSON.stringify(event));
      return JSON.parse(result.payload) as Record<string, unknown>;
    },
    async close() {
      for (const c of clients) c.destroy();
      await session.close();
      app.cleanup();
    },
  };
}
