/**
 * DynamoDB tables in the `sluice describe` graph: one node each (keys and stream), an edge from
 * a table to each function consuming its stream, and from that function to the queue that gets
 * the record of each discarded batch. Own shapes (a subset of graph.ts's), as graph-schedules.ts.
 */
import type { AppSpec, TableSpec } from "../../model/app-spec.ts";

interface TableNode {
  readonly id: string;
  readonly kind: "table";
  readonly label: string;
  readonly detail: string;
}

interface TableEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "consumes" | "on-failure";
  readonly label: string;
}

/** Nodes and edges of the tables; `queueId` names a queue's node (queue or dead-letter queue). */
export function tableGraph(
  spec: AppSpec,
  queueId: (name: string) => string,
): { nodes: TableNode[]; edges: TableEdge[] } {
  const nodes = Object.values(spec.tables ?? {}).map(
    (table): TableNode => ({
      id: `table:${table.name}`,
      kind: "table",
      label: table.name,
      detail: detail(table),
    }),
  );
  const edges: TableEdge[] = [];
  for (const fn of Object.values(spec.functions)) {
    const consumes = fn.consumesTable;
    if (!consumes) continue;
    const to = `function:${fn.name}`;
    edges.push({
      from: `table:${consumes.table}`,
      to,
      kind: "consumes",
      label: `stream · batch ${consumes.batchSize}`,
    });
    if (consumes.onFailure !== undefined) {
      edges.push({
        from: to,
        to: queueId(consumes.onFailure),
        kind: "on-failure",
        label: "discarded batches",
      });
    }
  }
  return { nodes, edges };
}

/** `pk S · sk N · stream NEW_IMAGE`: the key schema, then the stream when there is one. */
function detail(table: TableSpec): string {
  const keys = [table.partitionKey, table.sortKey].flatMap((key) => (key ? [`${key.name} ${key.type}`] : []));
  return [...keys, ...(table.stream ? [`stream ${table.stream}`] : [])].join(" · ");
}
