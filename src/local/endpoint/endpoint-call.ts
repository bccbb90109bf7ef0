/**
 * One AWS call as the endpoint hands it to a protocol handler (the AwsCall of wire/aws-call.ts).
 *
 * A class, not an object literal: the literal this replaces had a `signal` getter made anew on
 * every call, closing over the request's `res`. V8 kept such per-call getters reachable from old
 * space until the next full GC, so every request and response since the last scavenge survived
 * it: with one SDK client sending, 2.2 MB (16% of the young generation) was promoted every ~700
 * calls and each scavenge paused 20-50 ms; with the class, a few KB and 2-8 ms (issue 14,
 * `--trace-gc-nvp`). A standalone loop shows the same: a literal with a per-call getter promotes,
 * one with per-call arrow functions only does not, nor does a class. The getter and the methods
 * live on the prototype here; per-call state is fields.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import { fleetOfCredential } from "../../model/fleet-roles.ts";
import type { ServerSpec } from "../../model/servers.ts";
import type { LocalCloud } from "../local-cloud.ts";
import type { AwsCall } from "../wire/index.ts";
import type { IamGuard } from "./iam-guard.ts";
import { inSignedRegion, requireServed } from "./resource-scope.ts";

/** What a call needs of the endpoint's options (AwsEndpointOptions has them all). */
export interface EndpointCallOptions {
  readonly endpointUrl: () => string;
  readonly identify?: (accessKeyId: string) => string | undefined;
  /** Where an unexpected error goes; the caller gets only InternalError. */
  readonly onEvent?: (event: {
    readonly type: "endpoint-error";
    readonly operation: string;
    readonly error: unknown;
  }) => void;
}

export class EndpointCall implements AwsCall<LocalCloud> {
  readonly spec: AppSpec;
  readonly endpointUrl: string;
  readonly requestId: string;
  readonly region: string;
  /** Undefined, not a missing key, when absent: every reader treats both alike. */
  readonly caller: FunctionSpec | undefined;
  readonly traceHeader: string | undefined;
  /** A server fleet dev runs (issue 19) signs with its own credentials: IAM checks its role. */
  private readonly fleet: ServerSpec | undefined;
  /** Made on first use (long polls): an abort per finished request would cost every call. */
  private aborter: AbortController | undefined;

  constructor(
    readonly cloud: LocalCloud,
    private readonly options: EndpointCallOptions,
    private readonly guard: IamGuard,
    private readonly res: ServerResponse,
    requestId: string,
    accessKeyId: string | undefined,
    private readonly signedRegion: string | undefined,
  ) {
    const spec = cloud.spec;
    this.spec = spec;
    this.endpointUrl = options.endpointUrl();
    this.requestId = requestId;
    this.region = signedRegion ?? spec.region;
    this.traceHeader = traceHeaderOf(res.req);
    const physical = accessKeyId === undefined ? undefined : options.identify?.(accessKeyId);
    this.caller =
      physical === undefined
        ? undefined
        : Object.values(spec.functions).find((f) => f.functionName === physical);
    const fleetName = physical === undefined ? undefined : fleetOfCredential(physical);
    this.fleet = fleetName === undefined ? undefined : spec.servers?.[fleetName];
  }

  get signal(): AbortSignal {
    if (!this.aborter) {
      const controller = new AbortController();
      const res = this.res;
      res.once("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      this.aborter = controller;
    }
    return this.aborter.signal;
  }

  authorize(action: string, resource: string): void {
    const scoped = inSignedRegion(this.spec, resource, this.signedRegion);
    const fleet = this.fleet;
    this.guard.check(this.spec, this.caller ?? (fleet === undefined ? undefined : { fleet }), action, scoped);
    requireServed(this.spec, action, scoped);
  }

  reportBug(error: unknown): void {
    if (!(error instanceof SluiceError))
      this.options.onEvent?.({ type: "endpoint-error", operation: this.res.req?.url ?? "", error });
  }
}

/** The request's X-Amzn-Trace-Id, when it sent one (a repeated header: its first value). */
function traceHeaderOf(req: IncomingMessage | undefined): string | undefined {
  const value = req?.headers["x-amzn-trace-id"];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}
