import type { DrillRequest } from "../../local/drill-operations.ts";
import { APP_OPTIONS, type Command } from "../command.ts";
import { devDrills } from "../dev-drills.ts";
import { drillText } from "../drill-output.ts";
import { UsageError } from "../usage-error.ts";

export const failCommand: Command = {
  name: "fail",
  summary:
    "start a failover drill in a running dev: a region's outage, a function's forced failure, paused replication",
  help: [
    "Usage: sluice fail region REGION [options]",
    "       sluice fail function NAME --region REGION [options]",
    "       sluice fail replication [options]",
    "",
    "region       the region's HTTP and WebSocket APIs answer as an API Gateway outage (503",
    "             Service Unavailable), so its Route 53 health checks fail; its AWS endpoint scope",
    "             keeps answering, so you can still inspect its state",
    "function     turns on the function's forced-failure switch in one region (its",
    '             health.forceFailVariable is "true" in new environments): its health route answers 503',
    "replication  pauses global tables' replication: writes wait in their region until healed",
    "",
    "Each drill stays until `sluice heal`; failing what already fails changes nothing.",
    "A running `sluice dev` is needed.",
    "",
    "Options:",
    "  --region REGION  the region of a function drill (needed when dev runs several)",
    "  --dir DIR        the app's folder",
    "  --json           print as JSON",
  ].join("\n"),
  positionals: 2,
  options: { ...APP_OPTIONS, region: { type: "string" } },
  async run(args, output) {
    const request = failRequest(args.positionals, args.values.region as string | undefined);
    const drills = await devDrills(args);
    const result = await drills.fail(request);
    if (args.values.json) output.out(JSON.stringify(result, null, 2));
    else if (result.alreadyInForce)
      output.out(`drill already in force, nothing changed: ${drillText(result.drill)}`);
    else output.out(`drill: ${drillText(result.drill)}`);
    return 0;
  },
};

/** The request a command line asks for; every usage mistake at once. */
export function failRequest(positionals: readonly string[], region: string | undefined): DrillRequest {
  const [kind, name] = positionals;
  const problems: string[] = [];
  let request: DrillRequest | undefined;
  if (kind === "region") {
    if (name === undefined) problems.push("fail region needs the region: sluice fail region us-east-1");
    if (region !== undefined) problems.push("fail region takes the region as its argument, not --region");
    request = { kind, region: name ?? "" };
  } else if (kind === "function") {
    if (name === undefined)
      problems.push("fail function needs the function's name: sluice fail function api --region us-east-1");
    request = { kind, function: name ?? "", ...(region === undefined ? {} : { region }) };
  } else if (kind === "replication") {
    if (name !== undefined) problems.push(`fail replication takes no argument; got "${name}"`);
    if (region !== undefined)
      problems.push("fail replication pauses every region's replication; it takes no --region");
    request = { kind };
  } else {
    problems.push(
      kind === undefined
        ? "say what fails: region, function or replication"
        : `unknown drill "${kind}"; use region, function or replication`,
    );
  }
  if (problems.length > 0 || request === undefined) throw new UsageError(problems.join("; "), "fail");
  return request;
}
