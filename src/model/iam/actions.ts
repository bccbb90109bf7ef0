/**
 * IAM action names Sluice knows, for checking declared permissions and for naming what each API
 * call needs. IAM matches action names case-insensitively; these are AWS's spellings.
 */

/**
 * Every SQS IAM action (Service Authorization Reference, "Actions defined by Amazon SQS",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html). The
 * batch API operations have no actions of their own: SendMessageBatch is authorized by
 * sqs:SendMessage, DeleteMessageBatch by sqs:DeleteMessage, ChangeMessageVisibilityBatch by
 * sqs:ChangeMessageVisibility.
 */
export const SQS_ACTIONS = [
  "AddPermission",
  "CancelMessageMoveTask",
  "ChangeMessageVisibility",
  "CreateQueue",
  "DeleteMessage",
  "DeleteQueue",
  "GetQueueAttributes",
  "GetQueueUrl",
  "ListDeadLetterSourceQueues",
  "ListMessageMoveTasks",
  "ListQueueTags",
  "ListQueues",
  "PurgeQueue",
  "ReceiveMessage",
  "RemovePermission",
  "SendMessage",
  "SetQueueAttributes",
  "StartMessageMoveTask",
  "TagQueue",
  "UntagQueue",
] as const;

/**
 * Every DynamoDB IAM action, streams included (Service Authorization Reference, "Actions defined
 * by Amazon DynamoDB",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html).
 * Transactions and PartiQL have no actions of their own: see DYNAMODB_OPERATION_ACTIONS.
 */
export const DYNAMODB_ACTIONS = [
  "BatchGetItem",
  "BatchWriteItem",
  "ConditionCheckItem",
  "CreateBackup",
  "CreateGlobalTable",
  "CreateTable",
  "CreateTableReplica",
  "DeleteBackup",
  "DeleteItem",
  "DeleteResourcePolicy",
  "DeleteTable",
  "DeleteTableReplica",
  "DescribeBackup",
  "DescribeContinuousBackups",
  "DescribeContributorInsights",
  "DescribeEndpoints",
  "DescribeExport",
  "DescribeGlobalTable",
  "DescribeGlobalTableSettings",
  "DescribeImport",
  "DescribeKinesisStreamingDestination",
  "DescribeLimits",
  "DescribeReservedCapacity",
  "DescribeReservedCapacityOfferings",
  "DescribeStream",
  "DescribeTable",
  "DescribeTableReplicaAutoScaling",
  "DescribeTimeToLive",
  "DisableKinesisStreamingDestination",
  "EnableKinesisStreamingDestination",
  "ExportTableToPointInTime",
  "GetItem",
  "GetRecords",
  "GetResourcePolicy",
  "GetShardIterator",
  "ImportTable",
  "ListBackups",
  "ListContributorInsights",
  "ListExports",
  "ListGlobalTables",
  "ListImports",
  "ListStreams",
  "ListTables",
  "ListTagsOfResource",
  "PartiQLDelete",
  "PartiQLInsert",
  "PartiQLSelect",
  "PartiQLUpdate",
  "PurchaseReservedCapacityOfferings",
  "PutItem",
  "PutResourcePolicy",
  "Query",
  "RestoreTableFromAwsBackup",
  "RestoreTableFromBackup",
  "RestoreTableToPointInTime",
  "Scan",
  "StartAwsBackupJob",
  "TagResource",
  "UntagResource",
  "UpdateContinuousBackups",
  "UpdateContributorInsights",
  "UpdateGlobalTable",
  "UpdateGlobalTableSettings",
  "UpdateGlobalTableVersion",
  "UpdateItem",
  "UpdateKinesisStreamingDestination",
  "UpdateTable",
  "UpdateTableReplicaAutoScaling",
  "UpdateTimeToLive",
] as const;

/** The DynamoDB Streams actions: what reading a table's stream needs, on its `…/stream/*` ARN. */
export const DYNAMODB_STREAM_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:ListStreams",
] as const;

const PARTIQL_ACTIONS = [
  "dynamodb:PartiQLSelect",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
] as const;

/**
 * DynamoDB operations IAM authorizes with several other actions: a transaction with the actions of
 * its items, a PartiQL statement with the PartiQL action of its kind (same page, "API operations").
 */
export const DYNAMODB_OPERATION_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  "dynamodb:transactwriteitems": [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
  ],
  "dynamodb:transactgetitems": ["dynamodb:GetItem"],
  "dynamodb:executestatement": PARTIQL_ACTIONS,
  "dynamodb:batchexecutestatement": PARTIQL_ACTIONS,
  "dynamodb:executetransaction": PARTIQL_ACTIONS,
};

/** API operations whose IAM action has another name. */
export const ACTION_ALIASES: Readonly<Record<string, string>> = {
  "sqs:sendmessagebatch": "sqs:SendMessage",
  "sqs:deletemessagebatch": "sqs:DeleteMessage",
  "sqs:changemessagevisibilitybatch": "sqs:ChangeMessageVisibility",
  "lambda:invoke": "lambda:InvokeFunction",
  // S3 (using-with-s3-policy-actions.html): reads of metadata, listings and uploads in parts.
  "s3:headobject": "s3:GetObject",
  "s3:headbucket": "s3:ListBucket",
  "s3:listobjects": "s3:ListBucket",
  "s3:listobjectsv2": "s3:ListBucket",
  "s3:listobjectversions": "s3:ListBucketVersions",
  "s3:listmultipartuploads": "s3:ListBucketMultipartUploads",
  "s3:listparts": "s3:ListMultipartUploadParts",
  "s3:listbuckets": "s3:ListAllMyBuckets",
  "s3:deleteobjects": "s3:DeleteObject",
  "s3:createmultipartupload": "s3:PutObject",
  "s3:uploadpart": "s3:PutObject",
  "s3:completemultipartupload": "s3:PutObject",
  "s3:getbucketlifecycleconfiguration": "s3:GetLifecycleConfiguration",
  "s3:putbucketlifecycleconfiguration": "s3:PutLifecycleConfiguration",
  "s3:getbucketnotificationconfiguration": "s3:GetBucketNotification",
  "s3:putbucketnotificationconfiguration": "s3:PutBucketNotification",
};

/**
 * Actions that support no resource-level permissions: IAM evaluates them against `*`, so a
 * statement must name `*` as its resource to allow them.
 */
export const RESOURCE_WILDCARD_ACTIONS: readonly string[] = [
  "sqs:ListQueues",
  "lambda:ListFunctions",
  "dynamodb:ListTables",
  "dynamodb:DescribeLimits",
  "dynamodb:DescribeEndpoints",
  "s3:ListAllMyBuckets",
];

/** IAM's shape of an action: `service:Action`, where the action may hold `*` and `?`. */
export const IAM_ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/i;
