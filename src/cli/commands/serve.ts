/**
 * `sluice serve`: the app's functions (a fleet's, or all) as one long-running server — HTTP
 * routes, SQS consumers, schedules if asked, routing — against AWS or a local cloud. From an app
 * folder it builds the bundles as `sluice build` does; with --artifact it serves an unzipped
 * server artifact (what a fleet's instances run). One JSON line per event on stdout; SIGTERM or
 * SIGINT closes it gracefully (src/serve/server.ts) and exits 0.
 */
import { join } from "node:path";
import { buildApp } from "../../bundle/build-app.ts";
import { loadApp } from "../../bundle/load-app.ts";
import { hasOwnAwsSdk, provideAwsSdk } from "../../local/lambda/index.ts";
import type { AppSpec } from "../../model/app-spec.ts";
import { gotValue } from "../../model/errors.ts";
import { LIMITS } from "../../model/limits.ts";
import { normaliseApp } from "../../model/normalise.ts";
import { isAwsRegion } from "../../model/regions.ts";
import {
  callerAccount,
  type RunningServer,
  readServedApp,
  type ServedApp,
  type ServeLogEntry,
  startServer,
} from "../../serve/index.ts";
import { endpointOption, environmentSecrets, redactingOutput, stageOption } from "../aws-options.ts";
import { batchedOutput } from "../batched-output.ts";
import { appDir, type Command } from "../command.ts";
import { processOutput } from "../output.ts";
import { untilStopped } from "../stop-signal.ts";
import { UsageError } from "../usage-error.ts";

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the app's functions as a long-running server (HTTP, queues, schedules)",
  help: [
    "Usage: sluice serve [dir] [options]",
    "",
    "Runs the app's functions (or one fleet's) in one process, as Lambda runs them: HTTP routes",
    "(API Gateway events as `sluice dev` builds them), queue consumers (SQS long polling), routing,",
    "and schedules with --schedules. Prints one JSON line per event. SIGTERM or SIGINT stops it",
    "gracefully: /healthz answers 503, in-flight work finishes within the deadline.",
    "",
    "Options:",
    "  --artifact DIR          serve an unzipped server artifact (or a `sluice build` folder)",
    "                          instead of building the app in dir",
    "  --fleet NAME            serve the functions of servers.NAME (its port, schedules, deadline)",
    "  --endpoint-url URL      send every AWS call to URL (a `sluice dev` or `sluice cloud` endpoint)",
    "  --region R              the Region (default: the definition's; an artifact's is fixed)",
    "  --stage NAME            serve a deployed stage's resources (physical names <app>-<stage>-…)",
    "  --stack NAME            read the queues' URLs from this stack's outputs (default: GetQueueUrl)",
    "  --host HOST             address to bind (default 127.0.0.1; 0.0.0.0 behind a load balancer)",
    "  --port N                port (default: the fleet's, else a free one)",
    "  --schedules             run the served functions' schedules too (one server per fleet should)",
    "  --shutdown-seconds N    seconds SIGTERM waits for in-flight work (default: the fleet's, else 30)",
    "  --dir DIR               the app's folder (default: the current folder)",
    "Credentials come from the AWS SDK's default chain (environment, profile, instance or task role)",
    "and are never printed.",
  ].join("\n"),
  positionals: 1,
  options: {
    dir: { type: "string" },
    artifact: { type: "string" },
    fleet: { type: "string" },
    "endpoint-url": { type: "string" },
    region: { type: "string" },
    stage: { type: "string" },
    stack: { type: "string" },
    host: { type: "string" },
    port: { type: "string" },
    schedules: { type: "boolean" },
    "shutdown-seconds": { type: "string" },
  },
  async run(args, given) {
    // Four lines per request (START, END, REPORT, the request): one write per turn, not per line.
    const batched = given === processOutput ? batchedOutput(given) : undefined;
    const output = redactingOutput(batched ?? given, new Set(environmentSecrets()));
    const endpointUrl = endpointOption(args, "serve");
    const region = regionOption(args.values.region);
    const port = integerOption(args.values.port, "--port", 0, 65_535);
    // At most what a fleet may take: the load balancer drains a stopping target that long at most.
    const shutdownSeconds = integerOption(
      args.values["shutdown-seconds"],
      "--shutdown-seconds",
      0,
      LIMITS.elb.deregistrationDelaySeconds.max,
    );
    const stage = stageOption(args, "serve", undefined);
    // Installed first: a signal while the server starts closes it as soon as it is up.
    const stop = untilStopped();
    // Once the parent is gone nobody reads stdout: a write would fail (EPIPE ends the CLI at
    // once, closed-pipe.ts) and cut the graceful close short, so the lines are dropped instead.
    const print = (entry: ServeLogEntry) => {
      if (!stop.orphaned()) output.out(JSON.stringify(entry));
    };
    try {
      const app =
        args.values.artifact === undefined
          ? await appFolder(appDir(args, args.positionals[0]), { region, endpointUrl, stage }, print)
          : artifact(str(args.values.artifact) ?? "", region);
      const server: RunningServer = await startServer({
        app,
        ...optional("fleet", str(args.values.fleet)),
        ...optional("endpointUrl", endpointUrl),
        ...optional("stackName", str(args.values.stack)),
        ...optional("host", str(args.values.host)),
        ...optional("port", port),
        ...(args.values.schedules === true ? { schedules: true } : {}),
        ...optional("shutdownMs", shutdownSeconds === undefined ? undefined : shutdownSeconds * 1000),
        log: print,
      });
      await stop.signal;
      await server.close();
      return 0;
    } finally {
      stop.dispose();
      batched?.flush();
    }
  },
};

interface FolderOptions {
  readonly region: string | undefined;
  readonly endpointUrl: string | undefined;
  readonly stage: string | undefined;
}

/**
 * Builds the app in `dir` into `.sluice/serve/` and serves that build, its spec normalised for the
 * region, the caller's account and the stage (as deploy names a stage's resources).
 */
async function appFolder(
  dir: string,
  options: FolderOptions,
  print: (entry: ServeLogEntry) => void,
): Promise<ServedApp> {
  const started = performance.now();
  const app = await loadApp(dir);
  const region = options.region ?? app.spec.region;
  let accountId = app.spec.accountId;
  try {
    accountId = await callerAccount(region, options.endpointUrl);
  } catch (error) {
    print({
      time: new Date().toISOString(),
      level: "warn",
      event: "account",
      message: `STS GetCallerIdentity failed (${(error as Error).message}); names and ARNs use account ${accountId}`,
    });
  }
  const spec: AppSpec =
    region === app.spec.region && accountId === app.spec.accountId && options.stage === undefined
      ? app.spec
      : normaliseApp(app.definition, {
          region,
          accountId,
          ...(options.stage === undefined ? {} : { stage: options.stage }),
        });
  const build = await buildApp({ ...app, spec }, { outDir: join(app.stateDir, "serve") });
  // Bundles leave @aws-sdk/* out, as Lambda provides it: give them Sluice's copy, as dev does.
  if (!hasOwnAwsSdk(app.dir)) provideAwsSdk(join(build.outDir, "bundles"));
  print({
    time: new Date().toISOString(),
    level: "info",
    event: "build",
    functions: Object.keys(build.manifest.functions),
    ms: Math.round(performance.now() - started),
  });
  return readServedApp(build.outDir);
}

function artifact(dir: string, region: string | undefined): ServedApp {
  const app = readServedApp(dir);
  // An installed artifact has its package.json's SDK; a build folder or a bare unzip gets Sluice's.
  if (!hasOwnAwsSdk(dir)) provideAwsSdk(join(dir, "bundles"));
  if (region !== undefined && region !== app.spec.region) {
    throw new UsageError(
      gotValue(`--region must be the artifact's Region, ${app.spec.region} (it was built for it)`, region),
      "serve",
    );
  }
  return app;
}

function regionOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !isAwsRegion(value)) {
    throw new UsageError(gotValue("--region takes a Region code such as eu-west-1", value), "serve");
  }
  return value;
}

function integerOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(gotValue(`${name} takes a whole number from ${min} to ${max}`, value), "serve");
  }
  return number;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
