/**
 * Server fleets (issue 19) in `sluice describe`: one box per fleet naming its platform, size, port
 * and role, with an edge to each function it serves (beside Lambda), and the same as text for the
 * terminal. Its own shapes (a subset of graph.ts's) keep graph.ts the only importer, with no cycle.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import type { ServerSpec } from "../../model/servers.ts";

interface FleetNode {
  readonly id: string;
  readonly kind: "fleet";
  readonly label: string;
  readonly detail: string;
}

interface FleetEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "runs";
  readonly label: string;
}

export function fleetGraph(spec: AppSpec): { nodes: FleetNode[]; edges: FleetEdge[] } {
  const nodes: FleetNode[] = [];
  const edges: FleetEdge[] = [];
  for (const fleet of Object.values(spec.servers ?? {})) {
    const id = `fleet:${fleet.name}`;
    nodes.push({ id, kind: "fleet", label: fleet.name, detail: fleetDetail(fleet) });
    for (const fn of fleet.functions)
      edges.push({ from: id, to: `function:${fn}`, kind: "runs", label: "sluice serve" });
  }
  return { nodes, edges };
}

/** `EC2 t4g.small ×2–6 · :8080 · failover`: platform and size, port, role. */
export function fleetDetail(fleet: ServerSpec): string {
  const size = fleet.platform === "ec2" ? (fleet.instanceType ?? "") : taskSize(fleet);
  const count = fleet.minSize === fleet.maxSize ? `×${fleet.minSize}` : `×${fleet.minSize}–${fleet.maxSize}`;
  return [
    `${fleet.platform === "ec2" ? "EC2" : "Fargate"} ${size} ${count}`,
    `:${fleet.port}`,
    ...(fleet.role ? [fleet.role] : []),
  ].join(" · ");
}

/** The fleets as text, one paragraph each, for the terminal. */
export function fleetOutline(spec: AppSpec): string[] {
  return Object.values(spec.servers ?? {}).map((fleet) => {
    const size =
      fleet.platform === "ec2"
        ? `EC2 ${fleet.instanceType ?? ""}, ${fleet.minSize}–${fleet.maxSize} instances`
        : `Fargate ${taskSize(fleet)}, ${fleet.minSize}–${fleet.maxSize} tasks`;
    const front = fleet.loadBalancer ? "behind a load balancer (HTTP 80)" : "no load balancer";
    const role =
      fleet.role === "primary"
        ? "; primary: takes the domain's traffic first, Lambda stands by"
        : fleet.role === "failover"
          ? "; failover: takes the domain's traffic when Lambda's health check fails"
          : "";
    return [
      `server fleet ${fleet.name}: ${size}, port ${fleet.port}, ${front}${role}`,
      `  serves ${fleet.functions.join(", ")}${fleet.schedules ? " (and their schedules)" : ""}`,
    ].join("\n");
  });
}

function taskSize(fleet: ServerSpec): string {
  const task = fleet.task;
  return task ? `${task.cpu / 1024} vCPU ${task.memoryMb / 1024} GB` : "";
}
