/**
 * S3 buckets in the `sluice describe` graph: one node each (versioning, lifecycle, website), and
 * an edge from a bucket to each function and queue its notifications reach (the events and the
 * key filter), and to the default bus when it sends EventBridge events. Own shapes (a subset of
 * graph.ts's), as graph-tables.ts.
 */
import type { AppSpec, BucketNotificationSpec, BucketSpec } from "../../model/app-spec.ts";
import { DEFAULT_BUS } from "../../model/events.ts";

interface BucketNode {
  readonly id: string;
  readonly kind: "bucket";
  readonly label: string;
  readonly detail: string;
}

interface BucketEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "notifies";
  readonly label: string;
}

/** Nodes and edges of the buckets; `queueId` names a queue's node (queue or dead-letter queue). */
export function bucketGraph(
  spec: AppSpec,
  queueId: (name: string) => string,
): { nodes: BucketNode[]; edges: BucketEdge[] } {
  const nodes: BucketNode[] = [];
  const edges: BucketEdge[] = [];
  for (const bucket of Object.values(spec.buckets ?? {})) {
    const from = `bucket:${bucket.name}`;
    nodes.push({ id: from, kind: "bucket", label: bucket.name, detail: detail(bucket) });
    for (const n of bucket.notifications) {
      const to = n.target.kind === "function" ? `function:${n.target.name}` : queueId(n.target.name);
      edges.push({ from, to, kind: "notifies", label: notificationLabel(n) });
    }
    if (bucket.eventBridge) {
      edges.push({ from, to: `bus:${DEFAULT_BUS}`, kind: "notifies", label: "every object event" });
    }
  }
  return { nodes, edges };
}

/** `ObjectCreated:* · posts/*.md`: the events without `s3:`, then the key filter. */
function notificationLabel(n: BucketNotificationSpec): string {
  const events = n.events.map((e) => e.replace(/^s3:/, "")).join(", ");
  const filter =
    n.prefix !== undefined || n.suffix !== undefined ? ` · ${n.prefix ?? ""}*${n.suffix ?? ""}` : "";
  return `${events}${filter}`;
}

/** `versioned · 2 lifecycle rules · website`, or `bucket`. */
function detail(bucket: BucketSpec): string {
  const parts = [
    ...(bucket.versioning ? ["versioned"] : []),
    ...(bucket.lifecycle.length > 0
      ? [`${bucket.lifecycle.length} lifecycle rule${bucket.lifecycle.length === 1 ? "" : "s"}`]
      : []),
    ...(bucket.website ? ["website"] : []),
  ];
  return parts.length > 0 ? parts.join(" · ") : "bucket";
}
