import { DRILL_KINDS, type HealRequest } from "../../local/drill-operations.ts";
import { APP_OPTIONS, type Command } from "../command.ts";
import { devDrills } from "../dev-drills.ts";
import { healedText } from "../drill-output.ts";
import { UsageError } from "../usage-error.ts";

export const healCommand: Command = {
  name: "heal",
  summary: "end failover drills in a running dev (all of them, or those named)",
  help: [
    "Usage: sluice heal [options]                           end every drill",
    "       sluice heal region REGION [options]             end that region's outage",
    "       sluice heal function NAME [--region REGION]     turn the forced-failure switch off",
    "       sluice heal replication [options]               resume replication",
    "",
    "Health checks see the healed region or function at their next pings; Route 53 needs",
    "failureThreshold passing pings in a row to call a check healthy again.",
    "",
    "Options:",
    "  --region REGION  only the drills in this region",
    "  --dir DIR        the app's folder",
    "  --json           print as JSON",
  ].join("\n"),
  positionals: 2,
  options: { ...APP_OPTIONS, region: { type: "string" } },
  async run(args, output) {
    const request = healRequest(args.positionals, args.values.region as string | undefined);
    const drills = await devDrills(args);
    const result = await drills.heal(request);
    if (args.values.json) output.out(JSON.stringify(result, null, 2));
    else if (result.healed.length === 0) output.out("no drill to heal");
    else for (const drill of result.healed) output.out(`drill: ${healedText(drill)}`);
    return 0;
  },
};

export function healRequest(positionals: readonly string[], region: string | undefined): HealRequest {
  const [kind, name] = positionals;
  const where = region === undefined ? {} : { region };
  if (kind === undefined) return where;
  if (!(DRILL_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`unknown drill "${kind}"; use region, function or replication`, "heal");
  if (kind === "region") {
    if (name !== undefined && region !== undefined && name !== region)
      throw new UsageError(`heal region takes one region; got "${name}" and --region ${region}`, "heal");
    return { kind, ...(name === undefined ? where : { region: name }) };
  }
  if (kind === "function") return { kind, ...(name === undefined ? {} : { function: name }), ...where };
  // Every usage mistake at once.
  const problems = [
    ...(name === undefined ? [] : [`heal replication takes no argument; got "${name}"`]),
    ...(region === undefined
      ? []
      : ["heal replication resumes every region's replication; it takes no --region"]),
  ];
  if (problems.length > 0) throw new UsageError(problems.join("; "), "heal");
  return { kind: "replication" };
}
