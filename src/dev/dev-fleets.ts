/**
 * `sluice dev`'s server fleets (issue 19): each fleet of the definition's `servers` runs in dev's
 * process as `sluice serve` would run it on an instance (src/serve's startServer), against dev's
 * own endpoint, on dev's bundles and clock. Started once the local cloud is up; restarted on every
 * reload (new bundles, or a new definition), on the port it had, so the banner's URL and the local
 * Route 53's record for it stay right; closed when dev closes.
 *
 * A fleet that fails to start (a port taken, a bundle that throws at load) is reported as an event
 * and left stopped: dev goes on serving Lambda, as a deployed app would with no healthy targets.
 */
import type { Clock } from "../local/clock/index.ts";
import type { AppSpec } from "../model/app-spec.ts";
import type { ServerRole } from "../model/servers.ts";
import type { RunningServer, ServeLogEntry } from "../serve/index.ts";

/** A running fleet, for the banner and the local Route 53. */
export interface FleetReady {
  readonly name: string;
  /** `http://127.0.0.1:<port>`: the fleet's HTTP routes and `/healthz`. */
  readonly url: string;
  readonly functions: readonly string[];
  readonly role?: ServerRole;
}

export type DevFleetEvent =
  /** One of the fleet's structured log lines (requests, function logs, batches, shutdown). */
  | { readonly type: "fleet-log"; readonly fleet: string; readonly entry: ServeLogEntry }
  | { readonly type: "fleet-failed"; readonly fleet: string; readonly error: unknown };

export interface DevFleetsOptions {
  /** The spec the fleets serve now (dev replaces it on reloads). */
  readonly spec: () => AppSpec;
  /** A function's bundle now (dev rebuilds them on reloads). */
  readonly code: (functionName: string) => { readonly file: string; readonly exportName: string } | undefined;
  /** Dev's endpoint URL. */
  readonly endpointUrl: () => string;
  /** The endpoint and credentials a fleet uses (DevEndpoint.fleetEnvironment). */
  readonly environment: (fleet: string) => Record<string, string>;
  readonly clock: Clock;
  readonly onEvent?: ((event: DevFleetEvent) => void) | undefined;
}

export class DevFleets {
  private readonly running = new Map<string, RunningServer>();
  /** The port each fleet had: kept across restarts, and for a failed fleet that starts again. */
  private readonly ports = new Map<string, number>();

  constructor(private readonly options: DevFleetsOptions) {}

  /**
   * (Re)starts every fleet of the spec on the current bundles, one after the other, and stops the
   * fleets the spec no longer has. A fleet closes gracefully (in-flight requests finish) before
   * its successor listens on the same port.
   */
  async restart(): Promise<void> {
    const fleets = this.options.spec().servers ?? {};
    for (const name of [...this.running.keys()]) {
      if (fleets[name] === undefined) await this.stop(name);
    }
    for (const name of Object.keys(fleets)) {
      await this.stop(name);
      await this.start(name);
    }
  }

  /** The fleets running now, in the definition's order. */
  ready(): FleetReady[] {
    const fleets = this.options.spec().servers ?? {};
    return Object.values(fleets).flatMap((fleet) => {
      const running = this.running.get(fleet.name);
      if (running === undefined) return [];
      return [
        {
          name: fleet.name,
          url: running.url,
          functions: running.functions,
          ...(fleet.role === undefined ? {} : { role: fleet.role }),
        },
      ];
    });
  }

  /** The URL of a running fleet. */
  urlOf(name: string): string | undefined {
    return this.running.get(name)?.url;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.running.keys()].map((name) => this.stop(name)));
  }

  private async start(name: string): Promise<void> {
    const { options } = this;
    const spec = options.spec();
    const kept = this.ports.get(name);
    try {
      const server = await this.listen(name, spec, kept ?? 0).catch((error: unknown) => {
        // The port it had was taken meanwhile: a new one (the banner's URL changes).
        if (kept === undefined || (error as { code?: unknown }).code !== "EADDRINUSE") throw error;
        return this.listen(name, spec, 0);
      });
      this.running.set(name, server);
      this.ports.set(name, server.port);
    } catch (error) {
      options.onEvent?.({ type: "fleet-failed", fleet: name, error });
    }
  }

  private async listen(name: string, spec: AppSpec, port: number): Promise<RunningServer> {
    const { options } = this;
    // src/serve brings the AWS SDK clients a deployed server uses: loaded by the first fleet, so an
    // app without `servers` does not pay for them at every dev start.
    const { startServer } = await import("../serve/index.ts");
    return startServer({
      app: {
        spec,
        code: (fn) => {
          const bundle = options.code(fn);
          if (bundle === undefined) throw new Error(`no bundle for function ${fn}`);
          return bundle;
        },
      },
      fleet: name,
      endpointUrl: options.endpointUrl(),
      // Loopback whatever dev's --host: a server bound to every address checks no Host header (it
      // expects a load balancer in front), and dev's front door reaches it here.
      host: "127.0.0.1",
      // Not the fleet's own port (8080 on an instance): dev runs beside other programs.
      port,
      environment: options.environment(name),
      clock: options.clock,
      log: (entry) => options.onEvent?.({ type: "fleet-log", fleet: name, entry }),
    });
  }

  private async stop(name: string): Promise<void> {
    const server = this.running.get(name);
    if (server === undefined) return;
    this.running.delete(name);
    await server.close();
  }
}
