/**
 * S3 event notifications for one S3 store: the sink the engine calls inside each write, the outbox
 * it fills (in the store's own SQLite file, so an event commits with its change) and the
 * dispatcher that empties it into the destinations the local cloud provides.
 */
import type { Clock } from "../../clock/index.ts";
import type { Db } from "../../store/index.ts";
import type { ObjectChangeSink } from "../object-change.ts";
import type { BucketInfo } from "../types.ts";
import {
  NotificationDispatcher,
  type NotificationEvent,
  type NotificationTargets,
} from "./notification-dispatcher.ts";
import { NotificationOutbox } from "./notification-outbox.ts";
import { NotificationSink } from "./notification-sink.ts";

export interface S3NotificationsOptions {
  /** The S3 store's database: the outbox must commit in the same transactions as the objects. */
  readonly db: Db;
  readonly clock: Clock;
  /** The bucket as the store holds it (S3Store.bucket). */
  readonly bucket: (name: string) => BucketInfo | undefined;
  readonly targets: NotificationTargets;
  readonly onEvent?: (event: NotificationEvent) => void;
}

export class S3Notifications {
  /** Give this to the S3 store: it is called inside every write's transaction. */
  readonly sink: ObjectChangeSink;
  private readonly outbox: NotificationOutbox;
  private readonly dispatcher: NotificationDispatcher;

  constructor(options: S3NotificationsOptions) {
    this.outbox = new NotificationOutbox(options.db);
    this.dispatcher = new NotificationDispatcher({
      outbox: this.outbox,
      targets: options.targets,
      clock: options.clock,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    this.sink = new NotificationSink({
      outbox: this.outbox,
      bucket: options.bucket,
      onRecorded: () => this.dispatcher.schedule(),
    });
  }

  /**
   * Delivers what the outbox holds (a crash's leftovers included) and every later event. Until then
   * events are only stored: a one-shot command records them for the next `dev` to deliver.
   */
  start(): void {
    this.dispatcher.start();
  }

  close(): void {
    this.dispatcher.close();
  }

  /** Events recorded and not yet handed to their destination. */
  pending(): number {
    return this.outbox.pending();
  }

  /** Events that go out without the clock moving: see NotificationDispatcher.pendingWork. */
  pendingWork(): number {
    return this.dispatcher.pendingWork();
  }
}
