import type { QueueSpec } from "../../model/app-spec.ts";
import { LIMITS } from "../../model/limits.ts";
import type { Clock } from "../clock/index.ts";
import { type Db, reclaimSpaceSoon } from "../store/index.ts";
import { queueDoesNotExist, SqsError } from "./errors.ts";
import { checkQueueSpec, sameQueueSpec } from "./queue-spec-check.ts";

export interface QueueRecord {
  readonly id: number;
  readonly spec: QueueSpec;
  readonly createdAt: number;
  /** Last SetQueueAttributes (or creation). */
  readonly modifiedAt: number;
  lastPurgeAt: number | null;
}

interface QueueRow {
  id: number;
  spec: string;
  created_at: number;
  modified_at: number | null;
  last_purge_at: number | null;
}

/** AWS makes a caller wait this long before reusing a deleted queue's name. */
const DELETED_RECENTLY_SECONDS = LIMITS.sqs.recreateAfterDelete.default;

/**
 * The queues, persisted in `sqs_queues` and mirrored in memory so that resolving a name on every
 * call costs a map lookup. Definition names win over physical names; URLs and ARNs resolve by
 * their last segment.
 */
export class QueueRegistry {
  private readonly byName = new Map<string, QueueRecord>();
  private readonly byQueueName = new Map<string, QueueRecord>();
  private readonly deletedAt = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    const rows = db
      .prepare("SELECT id, spec, created_at, modified_at, last_purge_at FROM sqs_queues")
      .all() as QueueRow[];
    for (const row of rows) {
      this.remember({
        id: row.id,
        spec: JSON.parse(row.spec) as QueueSpec,
        createdAt: row.created_at,
        modifiedAt: row.modified_at ?? row.created_at,
        lastPurgeAt: row.last_purge_at,
      });
    }
  }

  find(name: string): QueueRecord | undefined {
    const direct = this.byName.get(name) ?? this.byQueueName.get(name);
    if (direct) return direct;
    const tail = name.includes("/")
      ? name.slice(name.lastIndexOf("/") + 1)
      : name.startsWith("arn:")
        ? name.slice(name.lastIndexOf(":") + 1)
        : undefined;
    return tail === undefined ? undefined : this.byQueueName.get(tail);
  }

  /** By physical queue name only, as the SQS API names queues. */
  findPhysical(queueName: string): QueueRecord | undefined {
    return this.byQueueName.get(queueName);
  }

  resolve(name: string): QueueRecord {
    const record = this.find(name);
    if (!record) throw queueDoesNotExist(name);
    return record;
  }

  list(): QueueSpec[] {
    return [...this.byQueueName.values()].sort((a, b) => a.id - b.id).map((r) => r.spec);
  }

  /** Returns the ids of queues replaced because their physical name changed. */
  ensure(specs: readonly QueueSpec[]): number[] {
    const incoming = new Map(specs.map((s) => [s.name, s]));
    const lookup = (name: string) =>
      incoming.get(name) ?? [...incoming.values()].find((s) => s.queueName === name) ?? this.find(name)?.spec;
    const problems = specs.flatMap((s) => checkQueueSpec(s, lookup));
    if (problems.length > 0) {
      throw new SqsError(
        "InvalidAttributeValue",
        `Invalid queue attributes:\n  - ${problems.join("\n  - ")}`,
        { problems },
      );
    }
    const replaced: number[] = [];
    this.db.transaction(() => {
      for (const spec of specs) {
        const existing = this.byName.get(spec.name);
        if (existing && existing.spec.queueName !== spec.queueName) {
          this.dropRow(existing);
          replaced.push(existing.id);
        }
        const sameQueue = this.byQueueName.get(spec.queueName);
        if (sameQueue) this.update(sameQueue, spec, "definition");
        else this.insert(spec, "definition");
      }
    })();
    return replaced;
  }

  create(spec: QueueSpec): QueueRecord {
    const existing = this.byQueueName.get(spec.queueName);
    if (existing) {
      if (sameQueueSpec(existing.spec, spec)) return existing;
      throw new SqsError(
        "QueueNameExists",
        `A queue named "${spec.queueName}" already exists with different attributes. Use the same attributes, or another name.`,
        { queue: spec.queueName },
      );
    }
    if (this.byName.has(spec.name)) {
      throw new SqsError("QueueNameExists", `The name "${spec.name}" is already used by another queue.`, {
        queue: spec.name,
      });
    }
    const deletedAt = this.deletedAt.get(spec.queueName);
    if (deletedAt !== undefined && this.clock.now() - deletedAt < DELETED_RECENTLY_SECONDS * 1000) {
      throw new SqsError(
        "QueueDeletedRecently",
        `You must wait ${DELETED_RECENTLY_SECONDS} seconds after deleting a queue before you can create another with the same name ("${spec.queueName}").`,
        { queue: spec.queueName },
      );
    }
    const problems = checkQueueSpec(spec, (name) => this.find(name)?.spec);
    if (problems.length > 0) {
      throw new SqsError(
        "InvalidAttributeValue",
        `Invalid queue attributes:\n  - ${problems.join("\n  - ")}`,
        { problems },
      );
    }
    return this.db.transaction(() => this.insert(spec, "api"))();
  }

  delete(name: string): QueueRecord {
    const record = this.resolve(name);
    this.db.transaction(() => this.dropRow(record))();
    this.deletedAt.set(record.spec.queueName, this.clock.now());
    return record;
  }

  /** SetQueueAttributes: the queue keeps its id and messages; the new spec is checked first. */
  updateSpec(record: QueueRecord, spec: QueueSpec): QueueRecord {
    const problems = checkQueueSpec(spec, (name) => this.find(name)?.spec);
    if (problems.length > 0) {
      throw new SqsError(
        "InvalidAttributeValue",
        `Invalid queue attributes:\n  - ${problems.join("\n  - ")}`,
        {
          problems,
        },
      );
    }
    const now = this.clock.now();
    this.db
      .prepare("UPDATE sqs_queues SET spec = ?, modified_at = ? WHERE id = ?")
      .run(JSON.stringify(spec), now, record.id);
    this.forget(record);
    const updated = { ...record, spec, modifiedAt: now };
    this.remember(updated);
    return updated;
  }

  markPurged(record: QueueRecord, at: number): void {
    this.db.prepare("UPDATE sqs_queues SET last_purge_at = ? WHERE id = ?").run(at, record.id);
    record.lastPurgeAt = at;
  }

  /** The dead-letter queue a queue's redrive policy names, when it exists. */
  deadLetterOf(record: QueueRecord): QueueRecord | undefined {
    const dl = record.spec.deadLetter;
    return dl ? this.find(dl.queue) : undefined;
  }

  private insert(spec: QueueSpec, origin: "definition" | "api"): QueueRecord {
    const createdAt = this.clock.now();
    const info = this.db
      .prepare("INSERT INTO sqs_queues (name, queue_name, spec, origin, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(spec.name, spec.queueName, JSON.stringify(spec), origin, createdAt);
    const record: QueueRecord = {
      id: Number(info.lastInsertRowid),
      spec,
      createdAt,
      modifiedAt: createdAt,
      lastPurgeAt: null,
    };
    this.remember(record);
    return record;
  }

  private update(record: QueueRecord, spec: QueueSpec, origin: "definition" | "api"): void {
    this.db
      .prepare("UPDATE sqs_queues SET name = ?, spec = ?, origin = ? WHERE id = ?")
      .run(spec.name, JSON.stringify(spec), origin, record.id);
    this.forget(record);
    this.remember({ ...record, spec });
  }

  private dropRow(record: QueueRecord): void {
    this.db.prepare("DELETE FROM sqs_messages WHERE queue_id = ?").run(record.id);
    this.db.prepare("DELETE FROM sqs_dedup WHERE queue_id = ?").run(record.id);
    this.db.prepare("DELETE FROM sqs_receive_attempts WHERE queue_id = ?").run(record.id);
    this.db.prepare("DELETE FROM sqs_queue_properties WHERE queue_id = ?").run(record.id);
    this.db.prepare("DELETE FROM sqs_queues WHERE id = ?").run(record.id);
    this.forget(record);
    reclaimSpaceSoon(this.db);
  }

  private remember(record: QueueRecord): void {
    this.byName.set(record.spec.name, record);
    this.byQueueName.set(record.spec.queueName, record);
  }

  private forget(record: QueueRecord): void {
    if (this.byName.get(record.spec.name)?.id === record.id) this.byName.delete(record.spec.name);
    if (this.byQueueName.get(record.spec.queueName)?.id === record.id)
      this.byQueueName.delete(record.spec.queueName);
  }
}
