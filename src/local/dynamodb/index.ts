// What the local DynamoDB offers the rest of the local cloud: the engine (tables, items, indexes,
// transactions, TTL), its JSON wire protocol, the stream contract and its expression languages.

export {
  DynamoDbService,
  type DynamoDbServiceApi,
  type DynamoDbServiceOptions,
  type TableStreamInfo,
  type TableSummary,
} from "./dynamodb-service.ts";
// For the endpoint: a resource of another region or account is not found here.
export { resourceNotFound as dynamoDbResourceNotFound } from "./errors.ts";
export * from "./expressions/index.ts";
// Global tables: replication between the regions' engines, last writer wins, on the clock.
export { GlobalTableReplication } from "./global-tables/global-table-replication.ts";
export type { ReplicaPort } from "./global-tables/replica-port.ts";
export type {
  GlobalTableReplicationOptions,
  ReplicaRegion,
  ReplicationEvent,
  ReplicationStatus,
} from "./global-tables/replication-types.ts";
// PartiQL: ExecuteStatement, BatchExecuteStatement, ExecuteTransaction over the engine.
export {
  executePartiql,
  isPartiqlAction,
  type PartiqlCheck,
  partiqlResourcesOf,
} from "./partiql/index.ts";
export type { ItemChange, StreamSink } from "./streams/item-change.ts";
export { formatSequenceNumber, parseSequenceNumber } from "./streams/sequence-number.ts";
// DynamoDB Streams: the StreamSink the engine writes to, what mappings read, the Streams API.
export type { ShardRecord, StreamRecord } from "./streams/stream-record.ts";
export { StreamsApi, type StreamsApiOptions } from "./streams/streams-api.ts";
export {
  type Lane,
  RETENTION_MS,
  SHARDS_PER_STREAM,
  type ShardInfo,
  TableStreams,
  type TableStreamsOptions,
} from "./streams/table-streams.ts";
export { handleStreamsJson, STREAMS_TARGET_PREFIX, type StreamsCall } from "./streams/wire/streams-json.ts";
export { DYNAMODB_TARGET_PREFIX, type DynamoDbCall, handleDynamoDbJson } from "./wire/dynamodb-json.ts";
