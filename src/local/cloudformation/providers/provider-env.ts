/**
 * What the resource providers need from the host that runs them: the account's S3 and CloudWatch
 * Logs surfaces, the regions' queues, a folder for unpacked function code, and ports for API
 * servers. Narrow ports, so providers stay testable and never reach into a surface's tables.
 */
import type { S3Store } from "../../s3/index.ts";

/** The log groups of the account (the CloudWatch Logs surface). */
export interface LogGroupPort {
  exists(region: string, name: string): boolean;
  /** Throws an error whose message is CloudWatch Logs' when the group exists. */
  createLogGroup(region: string, name: string): void;
  deleteLogGroup(region: string, name: string): void;
  /** `undefined` removes the retention (never expire). */
  putRetention(region: string, name: string, days: number | undefined): void;
}

/** The queues of a region's running cloud (SQS); messages live there, not in the stack. */
export interface QueuePort {
  exists(region: string, queueName: string): boolean | Promise<boolean>;
  /** Deletes the queue and its messages; a queue that is already gone is no error. */
  delete(region: string, queueName: string): void | Promise<void>;
}

/** The DynamoDB tables of a region's running cloud; items live there, not in the stack. */
export interface TablePort {
  exists(region: string, tableName: string): boolean | Promise<boolean>;
  /** Deletes the table and its items; a table that is already gone is no error. */
  delete(region: string, tableName: string): void | Promise<void>;
}

/** A bucket notification's destination, as its configuration names it. */
export interface NotificationDestination {
  readonly kind: "function" | "queue";
  readonly arn: string;
}

/**
 * What S3 checks when a notification configuration is set: that each destination exists and its
 * resource policy lets S3 send from the bucket ("Unable to validate the following destination
 * configurations", https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html).
 */
export interface NotificationDestinationPort {
  /** The destinations S3 could not send to from `bucketArn`, in the order given. */
  unreachable(
    region: string,
    bucketArn: string,
    destinations: readonly NotificationDestination[],
  ): NotificationDestination[];
}

export interface ProviderEnv {
  readonly s3: Pick<
    S3Store,
    "createBucket" | "deleteBucket" | "bucket" | "setBucketConfiguration" | "getObject"
  >;
  readonly logs?: LogGroupPort;
  readonly queues: QueuePort;
  /** @default none: a table's name is not checked for collisions, and a delete leaves its items to the region's rebuild */
  readonly tables?: TablePort;
  /** @default destinations are not tested: a bucket takes any notification configuration */
  readonly notificationDestinations?: NotificationDestinationPort;
  /** Where function code is unpacked, one content-addressed folder per zip. */
  readonly codeDir: string;
  /** A free TCP port for a new API's server; the API keeps it for good. */
  readonly allocatePort: () => Promise<number>;
  /** The host API URLs name. @default "127.0.0.1" */
  readonly apiHost?: string;
  /** Random characters for generated names and ids. @default crypto-random */
  readonly random?: (length: number, alphabet: string) => string;
}
