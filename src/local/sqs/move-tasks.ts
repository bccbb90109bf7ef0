import { randomUUID } from "node:crypto";
import type { Db } from "../store/index.ts";
import type { MessageMoveTask } from "./types.ts";

interface TaskRow {
  handle: string;
  source_arn: string;
  destination_arn: string | null;
  max_per_second: number | null;
  status: MessageMoveTask["status"];
  moved: number;
  to_move: number;
  failure_reason: string | null;
  started_at: number;
}

/**
 * Message move tasks (StartMessageMoveTask, ListMessageMoveTasks), kept in `sqs_move_tasks`.
 * Sluice moves the messages within the call, so a task is recorded already COMPLETED.
 */
export class MoveTasks {
  private readonly insert;
  private readonly recent;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO sqs_move_tasks (handle, source_arn, destination_arn, max_per_second, status, moved, to_move, started_at)
       VALUES (@handle, @source, @destination, @maxPerSecond, 'COMPLETED', @moved, @toMove, @startedAt)`,
    );
    this.recent = db.prepare<[string, number], TaskRow>(
      "SELECT * FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started_at DESC, rowid DESC LIMIT ?",
    );
  }

  record(task: {
    sourceArn: string;
    destinationArn?: string;
    maxPerSecond?: number;
    moved: number;
    toMove: number;
    startedAt: number;
  }): string {
    // AWS's handles are opaque base64; this one carries the task id and source, as theirs do.
    const handle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: task.sourceArn })).toString(
      "base64",
    );
    this.insert.run({
      handle,
      source: task.sourceArn,
      destination: task.destinationArn ?? null,
      maxPerSecond: task.maxPerSecond ?? null,
      moved: task.moved,
      toMove: task.toMove,
      startedAt: task.startedAt,
    });
    return handle;
  }

  list(sourceArn: string, max: number): MessageMoveTask[] {
    return this.recent.all(sourceArn, max).map((row) => ({
      // AWS returns the handle only while a task is RUNNING.
      ...(row.status === "RUNNING" ? { taskHandle: row.handle } : {}),
      status: row.status,
      sourceArn: row.source_arn,
      ...(row.destination_arn === null ? {} : { destinationArn: row.destination_arn }),
      ...(row.max_per_second === null ? {} : { maxNumberOfMessagesPerSecond: row.max_per_second }),
      approximateNumberOfMessagesMoved: row.moved,
      approximateNumberOfMessagesToMove: row.to_move,
      ...(row.failure_reason === null ? {} : { failureReason: row.failure_reason }),
      startedTimestamp: row.started_at,
    }));
  }
}
