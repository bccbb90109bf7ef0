/**
 * The local conformance target: `sluice dev`'s DevSession on a copy of the fixture app, in this
 * process, on real sockets, with SDK clients pointed at its endpoint as a user's script would
 * point them. Time is dev's clock, moved through the control API as `sluice time advance` moves it.
 */
import { join } from "node:path";
import { DevSession } from "../../../src/dev/dev-session.ts";
import { remoteOperations } from "../../../src/local/control/index.ts";
import { arn as arnOf } from "../../../src/model/naming.ts";
import { clientConfig, copyAppWithSdk } from "../endpoint.ts";
import { controlHeaders } from "../request-signing.ts";
import type { ConformanceTarget, TargetOptions } from "./target.ts";
import { WatchedClock } from "./watched-clock.ts";

export async function startLocalTarget(fixture: string, options: TargetOptions): Promise<ConformanceTarget> {
  const app = copyAppWithSdk(fixture);
  const clock = new WatchedClock();
  let session: DevSession;
  try {
    session = await DevSession.start({ dir: app.dir, watch: false, clock, iam: options.iam ?? "warn" });
  } catch (error) {
    app.cleanup();
    throw error;
  }
  const spec = session.spec;
  const token = /Bearer (.+)$/.exec(controlHeaders(join(app.dir, ".sluice")).authorization ?? "")?.[1];
  const control = remoteOperations(session.url, token ?? "");
  const prefix = `${spec.name}-`;
  return {
    kind: "local",
    region: spec.region,
    accountId: spec.accountId,
    clientConfig: clientConfig(session.url),
    prefix,
    physical: (name) => `${prefix}${name}`,
    scratch: (name) => name,
    queueUrl: (name) => `${session.url}/${spec.accountId}/${name}`,
    arn: (service, resource) => arnOf(service, spec.region, spec.accountId, resource),
    httpUrl: session.apiUrls.http,
    now: async () => (await control.time()).now,
    skewMs: 0,
    async elapse(ms) {
      await control.advanceTime(ms);
    },
    whenWaiting: (call) => clock.whenWaiting(call),
    localOnly: () => ({ skip: false }),
    async close() {
      await session.close();
      app.cleanup();
    },
  };
}
