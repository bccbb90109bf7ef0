/**
 * Delivers what a served function's routing wrapper asked for (InvokeResult.deliveries), as
 * Lambda's wrapper would with the SDK: a route to a function this server runs (and that consumes
 * no queue) is an asynchronous invoke here, as Lambda's `Event` invoke of it would be; anything
 * else — queues (a consumer's input included), buses, state machines, functions this server does
 * not run — goes through runtime's AWS transport, with the targets the model decides
 * (model/routing/route-targets.ts) and the routing function's discovery variables. Locally-run
 * asynchronous invokes are not retried as Lambda's are (docs/fidelity.md): a failure is logged.
 */
import type { AppSpec, RouteDelivery } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { decideDelivery } from "../model/routing/route-delivery.ts";
import {
  outsideRoutesTo,
  possibleRouteNames,
  routeTarget,
  routeTargets,
} from "../model/routing/route-targets.ts";
import { type AwsRouteClients, awsTransport, type RouteTransport } from "../runtime/index.ts";

export interface ServeRouterOptions {
  readonly spec: AppSpec;
  /** Functions this server runs. */
  readonly served: ReadonlySet<string>;
  /** Starts an asynchronous invoke of a served function here (not awaited by the route). */
  readonly invokeAsync: (functionName: string, payload: string) => void;
  /** The variables a function's transport reads its targets' URLs, names and ARNs from. */
  readonly environment: (functionName: string) => Readonly<Record<string, string>>;
  readonly clients: AwsRouteClients;
}

export class ServeRouter {
  private readonly transports = new Map<string, RouteTransport>();

  constructor(private readonly options: ServeRouterOptions) {}

  /** Sends every delivery; rejects when one could not be sent (the invocation then failed, as on Lambda). */
  async deliver(from: string, requestId: string, deliveries: readonly RouteDelivery[]): Promise<void> {
    const { spec, served } = this.options;
    const remote: RouteDelivery[] = [];
    for (const [index, delivery] of deliveries.entries()) {
      const refusal = outsideRoutesTo(spec, from, delivery.to);
      if (refusal !== undefined) {
        throw new SluiceError("SLUICE_ROUTE_OUTSIDE_ROUTES_TO", refusal, {
          context: { from, target: delivery.to },
        });
      }
      const target = routeTarget(spec, delivery.to);
      if (target?.kind === "function" && served.has(target.function)) {
        const decision = decideDelivery(target, delivery, { from, requestId, index });
        if (decision.kind === "function") this.options.invokeAsync(target.function, decision.payload);
      } else remote.push(delivery);
    }
    if (remote.length > 0) await this.transport(from).deliver(remote, { from, requestId });
  }

  private transport(from: string): RouteTransport {
    let transport = this.transports.get(from);
    if (!transport) {
      const { spec } = this.options;
      const fn = spec.functions[from];
      transport = awsTransport({
        targets: fn ? routeTargets(spec, possibleRouteNames(spec, fn)) : {},
        env: this.options.environment(from),
        clients: async () => this.options.clients,
      });
      this.transports.set(from, transport);
    }
    return transport;
  }
}
