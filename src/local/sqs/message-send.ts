/**
 * SendMessage and SendMessageBatch: each message is validated, then committed before the call
 * returns. A FIFO send runs in a transaction because deduplication and sequence numbers read and
 * write together; a batch commits its accepted entries together.
 */
import { createHash } from "node:crypto";
import type { IntentSlot } from "../store/index.ts";
import { checkBatchEntries, runEntry } from "./batch.ts";
import type { EngineParts } from "./engine-parts.ts";
import { SqsError } from "./errors.ts";
import type { InsertValues, MessageInserter } from "./insert-message.ts";
import { recordSends, type SentHop } from "./message-trace.ts";
import type { QueueRecord } from "./queue-registry.ts";
import type {
  AnsweredSend,
  BatchResult,
  BatchResultError,
  SendMessageBatchEntry,
  SendMessageBatchResultEntry,
  SendMessageInput,
  SendMessageResult,
} from "./types.ts";
import { messageSize, type PreparedMessage, prepareMessage } from "./validate-message.ts";

const STORED = () => {};

export class MessageSender {
  /** The row of the last send answered first, until it is committed. */
  private unstored: InsertValues | undefined;

  constructor(
    private readonly parts: EngineParts,
    private readonly inserter: MessageInserter,
    /** Where a send answered first keeps its row until it is committed; none: every send commits first. */
    private readonly intent?: IntentSlot,
  ) {}

  /**
   * SendMessage to be answered before its row is committed: for a standard queue, the row is
   * written to the intent slot and committed by `store`, which the caller runs right after it has
   * answered, in the same synchronous run. A FIFO queue's send reads before it writes
   * (deduplication), so it is committed before it returns, as is every send without an intent file.
   */
  sendMessageAnsweredFirst(queue: string, input: SendMessageInput): AnsweredSend {
    const { intent } = this;
    const { clock, registry } = this.parts;
    const q = registry.resolve(queue);
    if (intent === undefined || q.spec.fifo) return { result: this.sendMessage(queue, input), store: STORED };
    // A commit that failed after its answer is retried first; while it fails, nothing more is answered.
    this.storeUnstored();
    const prepared = prepareMessage(q.spec, input, sha256Hex);
    const now = clock.now();
    const sent: SentHop[] = [];
    const row = this.inserter.row(q, prepared, now, sent);
    intent.write([row.values]);
    this.unstored = row.values;
    return {
      result: row.result,
      store: () => {
        this.storeUnstored();
        this.afterSend(q, prepared.delaySeconds);
        recordSends(this.parts.tracer, q, input.source, sent, now);
      },
    };
  }

  /** Commits the row of a send answered first, then empties the intent slot. */
  private storeUnstored(): void {
    const values = this.unstored;
    if (values === undefined) return;
    this.parts.store.insert.run(...values);
    this.unstored = undefined;
    this.intent?.clear();
  }

  /** At close: the last send answered first is committed if it is not yet. */
  close(): void {
    this.storeUnstored();
  }

  sendMessage(queue: string, input: SendMessageInput): SendMessageResult {
    const { db, clock, registry } = this.parts;
    const q = registry.resolve(queue);
    const prepared = prepareMessage(q.spec, input, sha256Hex);
    const now = clock.now();
    const sent: SentHop[] = [];
    const result = q.spec.fifo
      ? db.transaction(() => this.inserter.insert(q, prepared, now, sent))()
      : this.inserter.insert(q, prepared, now, sent);
    this.afterSend(q, prepared.delaySeconds);
    recordSends(this.parts.tracer, q, input.source, sent, now);
    return result;
  }

  sendMessageBatch(
    queue: string,
    entries: readonly SendMessageBatchEntry[],
  ): BatchResult<SendMessageBatchResultEntry> {
    const { db, clock, registry } = this.parts;
    const q = registry.resolve(queue);
    checkBatchEntries(entries);
    const total = entries.reduce((sum, e) => sum + messageSize(e), 0);
    if (total > q.spec.maxMessageSize) {
      throw new SqsError(
        "BatchRequestTooLong",
        `Batch requests cannot be longer than ${q.spec.maxMessageSize} bytes. You have sent ${total} bytes; send fewer or smaller messages per batch.`,
      );
    }
    const failed: BatchResultError[] = [];
    const accepted: { id: string; prepared: PreparedMessage; source: string | undefined }[] = [];
    for (const entry of entries) {
      const prepared = runEntry(entry.id, failed, () => prepareMessage(q.spec, entry, sha256Hex));
      if (prepared) accepted.push({ id: entry.id, prepared, source: entry.source });
    }
    const now = clock.now();
    const sent: SentHop[][] = accepted.map(() => []);
    const successful = db.transaction(() =>
      accepted.map(({ id, prepared }, i) => ({
        id,
        ...this.inserter.insert(q, prepared, now, sent[i] as SentHop[]),
      })),
    )();
    for (const { prepared } of accepted) this.afterSend(q, prepared.delaySeconds);
    for (let i = 0; i < accepted.length; i++) {
      recordSends(this.parts.tracer, q, accepted[i]?.source, sent[i] as SentHop[], now);
    }
    return { successful, failed };
  }

  /** A delayed message wakes nobody now; its queue's timer is moved to when it becomes due. */
  private afterSend(q: QueueRecord, delaySeconds: number): void {
    if (delaySeconds === 0) this.parts.waiters.notify(q.id);
    else this.parts.waiters.reschedule(q.id);
  }
}

function sha256Hex(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}
