/**
 * Every AWS limit and default the definition relies on, in one table. Each row links to the AWS
 * page that states it, so a reviewer can check a number without hunting for its source. Values
 * are AWS's, not Sluice's choices; Sluice-only choices live with the code that makes them.
 */
export interface LimitRow {
  readonly min?: number;
  readonly max?: number;
  readonly default?: number | string;
  readonly unit: string;
  /** The AWS documentation page that states this limit. */
  readonly docs: string;
  readonly pattern?: RegExp;
  /** Human wording of `pattern`. */
  readonly charset?: string;
  readonly values?: readonly string[];
  readonly note?: string;
  /**
   * False when the linked page does not state the figure itself (a Sluice choice, or a value AWS
   * shows only by behaving so); docs/fidelity.md names every such row. Absent means stated.
   */
  readonly stated?: false;
}

const LAMBDA_QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";
const SFN_INTRINSICS = "https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html";
const CREATE_FUNCTION = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html";
const LAMBDA_RUNTIMES_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html";
const CREATE_QUEUE =
  "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html";
const SQS_ESM_PARAMETERS = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html";
const SQS_ESM_SCALING = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html";
const S3_MULTIPART_LIMITS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html";
const SEND_MESSAGE =
  "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html";
const DDB_ESM_PARAMETERS = "https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html";
const ESM_CONFIGURATION =
  "https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html";
const DYNAMODB_CONSTRAINTS =
  "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html";
const DYNAMODB_NUMBER =
  "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number";
const ROUTE53_HEALTH_CHECK_CONFIG =
  "https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html";
const ROUTE53_DOMAIN_NAME_FORMAT =
  "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html";
const ROUTE53_SOA_NS_RECORDS = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html";
const ROUTE53_ENDPOINT_HEALTH =
  "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html";
const ACM_REQUEST_CERTIFICATE =
  "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html";
const SFN_API = "https://docs.aws.amazon.com/step-functions/latest/apireference";
const SFN_API_START_EXECUTION = `${SFN_API}/API_StartExecution.html`;
const SFN_API_DESCRIBE_EXECUTION = `${SFN_API}/API_DescribeExecution.html`;
const SFN_API_LIST_EXECUTIONS = `${SFN_API}/API_ListExecutions.html`;
const SFN_API_SEND_TASK_SUCCESS = `${SFN_API}/API_SendTaskSuccess.html`;
const SFN_API_SEND_TASK_FAILURE = `${SFN_API}/API_SendTaskFailure.html`;
const SFN_QUOTAS = "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html";
/**
 * Step Functions names: no white space, brackets, wildcards, the special characters
 * `" # % \ ^ | ~ \` $ & , ; : /`, or control characters (service quotas, "General quotas").
 */
// \p{Cc}: the control characters U+0000-001F and U+007F-009F.
const SFN_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;
const SFN_NAME_CHARSET =
  'none of: white space, < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : / or control characters';
const SFN_ERROR_HANDLING =
  "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html";
const SFN_VARIABLES = "https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html";
/**
 * Step Functions rows shared by `LIMITS.stepFunctions` (the quotas) and `LIMITS.stepFunctionsApi`
 * (the API members they bound): one fact, one row.
 */
const SFN_PAYLOAD_ROW = {
  max: 262_144,
  unit: "bytes (UTF-8) of an execution's or a state's input or output (256 KiB)",
  docs: `${SFN_QUOTAS}#service-limits-task-executions`,
} as const;
/** AWS's rule for state machine, execution and activity names ("General quotas"). */
const SFN_NAME_ROW = {
  min: 1,
  max: 80,
  unit: "characters of a state machine's, an execution's or an activity's name",
  pattern: SFN_NAME,
  charset: SFN_NAME_CHARSET,
  docs: `${SFN_QUOTAS}#service-limits-general`,
} as const;
/** DynamoDB rows shared by `LIMITS.dynamodb` (the engine) and `LIMITS.dynamodbTables` (the definition). */
const TABLE_NAME_ROW = {
  min: 3,
  max: 255,
  unit: "characters per table or index name (a-z, A-Z, 0-9, '_', '-', '.')",
  docs: DYNAMODB_CONSTRAINTS,
  pattern: /^[a-zA-Z0-9_.-]{3,255}$/,
} as const satisfies LimitRow;
const GLOBAL_INDEXES_ROW = {
  max: 20,
  unit: "global secondary indexes per table",
  docs: DYNAMODB_CONSTRAINTS,
} as const satisfies LimitRow;
const LOCAL_INDEXES_ROW = {
  max: 5,
  unit: "local secondary indexes per table",
  docs: DYNAMODB_CONSTRAINTS,
} as const satisfies LimitRow;
/** MessageGroupId and MessageDeduplicationId: alphanumerics and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~). */
const GROUP_OR_DEDUPLICATION_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]+$/;

export const LIMITS = {
  lambda: {
    memorySize: { min: 128, max: 10240, default: 128, unit: "MB", docs: LAMBDA_QUOTAS },
    timeout: { min: 1, max: 900, default: 3, unit: "seconds", docs: CREATE_FUNCTION },
    runtime: {
      values: ["nodejs24.x", "nodejs22.x"],
      default: "nodejs24.x",
      unit: "runtime identifier",
      docs: LAMBDA_RUNTIMES_PAGE,
      note: "Sluice's default is the newest Node.js runtime; Lambda itself has no default runtime. RUNTIMES holds each one's dates.",
    },
    reservedConcurrency: {
      min: 0,
      max: 1000,
      unit: "concurrent executions",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html",
      note: "max is the default account quota (Concurrent executions, 1,000); AWS keeps 100 unreserved.",
    },
    unreservedConcurrency: {
      min: 100,
      unit: "concurrent executions",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html",
    },
    syncPayload: {
      max: 6 * 1024 * 1024,
      unit: "bytes",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html",
    },
    asyncPayload: {
      max: 1024 * 1024,
      unit: "bytes",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html",
    },
    recursiveLoopInvocations: {
      max: 16,
      unit: "invocations of one function in one chain of requests (counted in the X-Ray trace header's Lineage)",
      docs: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html",
      note: "Past it Lambda stops the invocation (RecursiveInvocationException); an asynchronous event goes to the dead-letter queue or on-failure destination.",
    },
    asyncRetryAttempts: {
      min: 0,
      max: 2,
      default: 2,
      unit: "retries",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html",
      note: "Retries after function errors: about 1 minute, then about 2 minutes, after the failure (invocation-async-error-handling).",
    },
    asyncEventAge: {
      min: 60,
      max: 21600,
      default: 21600,
      unit: "seconds",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html",
    },
    asyncErrorMessage: {
      max: 1024,
      unit: "bytes of the ErrorMessage attribute of a dead-letter message",
      docs: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
    },
    functionName: {
      min: 1,
      max: 64,
      unit: "characters",
      pattern: /^[A-Za-z0-9_-]+$/,
      charset: "letters, digits, hyphens (-) and underscores (_)",
      docs: CREATE_FUNCTION,
    },
    description: { max: 256, unit: "characters", docs: CREATE_FUNCTION },
    environmentKey: {
      pattern: /^[a-zA-Z][a-zA-Z0-9_]+$/,
      charset: "a letter, then at least one letter, digit or underscore",
      unit: "characters",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html",
    },
    environmentSize: {
      max: 4096,
      unit: "bytes (all keys and values together)",
      docs: LAMBDA_QUOTAS,
    },
    reservedEnvironmentKeys: {
      values: [
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
      ],
      unit: "environment variable names",
      docs: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime",
    },
  },
  sqs: {
    visibilityTimeout: { min: 0, max: 43200, default: 30, unit: "seconds", docs: CREATE_QUEUE },
    delaySeconds: { min: 0, max: 900, default: 0, unit: "seconds", docs: CREATE_QUEUE },
    messageRetentionPeriod: { min: 60, max: 1209600, default: 345600, unit: "seconds", docs: CREATE_QUEUE },
    maximumMessageSize: {
      min: 1024,
      max: 1048576,
      default: 1048576,
      unit: "bytes",
      docs: CREATE_QUEUE,
      note: "AWS raised the maximum and the default from 256 KiB to 1 MiB.",
    },
    receiveMessageWaitTime: { min: 0, max: 20, default: 0, unit: "seconds", docs: CREATE_QUEUE },
    maxReceiveCount: {
      min: 1,
      max: 1000,
      unit: "receives",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html",
    },
    queueName: {
      min: 1,
      max: 80,
      unit: "characters, including the .fifo suffix of a FIFO queue",
      pattern: /^[A-Za-z0-9_-]+$/,
      charset: "letters, digits, hyphens (-) and underscores (_)",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-fifo.html",
    },
    deduplicationInterval: {
      default: 300,
      unit: "seconds",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-key-terms.html",
    },
    receiveRequestAttemptId: {
      min: 1,
      max: 128,
      unit: "characters",
      pattern: GROUP_OR_DEDUPLICATION_ID,
      charset: "letters, digits and punctuation",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html",
    },
    receiveRequestAttemptPeriod: {
      default: 300,
      unit: "seconds after the receive in which a ReceiveRequestAttemptId can be retried",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html",
    },
    receiveBatch: {
      min: 1,
      max: 10,
      default: 1,
      unit: "messages per ReceiveMessage",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html",
    },
    messageGroupId: {
      min: 1,
      max: 128,
      unit: "characters",
      pattern: GROUP_OR_DEDUPLICATION_ID,
      charset: "letters, digits and punctuation",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html",
    },
    messageDeduplicationId: {
      min: 1,
      max: 128,
      unit: "characters",
      pattern: GROUP_OR_DEDUPLICATION_ID,
      charset: "letters, digits and punctuation",
      docs: SEND_MESSAGE,
    },
    messageVisibility: {
      max: 43200,
      unit: "seconds from the message's receive, however often it is changed",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html",
    },
    messageAttributes: {
      max: 10,
      unit: "message attributes per message",
      docs: SEND_MESSAGE,
    },
    messageAttributeName: {
      min: 1,
      max: 256,
      unit: "characters",
      pattern: /^[A-Za-z0-9_.-]+$/,
      charset: "letters, digits, underscores (_), hyphens (-) and periods (.)",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html",
    },
    batchEntries: {
      min: 1,
      max: 10,
      unit: "entries per batch request",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html",
    },
    batchEntryId: {
      min: 1,
      max: 80,
      unit: "characters",
      pattern: /^[A-Za-z0-9_-]+$/,
      charset: "letters, digits, hyphens (-) and underscores (_)",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html",
    },
    listQueuesResults: {
      min: 1,
      max: 1000,
      default: 1000,
      unit: "queue URLs per ListQueues page",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html",
    },
    listMessageMoveTasksResults: {
      min: 1,
      max: 10,
      default: 1,
      unit: "tasks per ListMessageMoveTasks",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListMessageMoveTasks.html",
    },
    queueTags: {
      max: 50,
      unit: "tags per queue",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html",
    },
    kmsDataKeyReusePeriod: {
      min: 60,
      max: 86400,
      default: 300,
      unit: "seconds",
      docs: CREATE_QUEUE,
    },
    purgeInterval: {
      default: 60,
      unit: "seconds between two PurgeQueue calls on one queue",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html",
    },
    recreateAfterDelete: {
      default: 60,
      unit: "seconds before a deleted queue's name can be used again",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html",
    },
    fairQueueNoisyShare: {
      min: 10,
      unit: "percent of a queue's in-flight messages above which a tenant (MessageGroupId) is a noisy neighbour",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues-detailed.html",
      note: "With at least fairQueueNoisyInFlight of its own in flight; AWS calls both thresholds approximate.",
    },
    fairQueueNoisyInFlight: {
      min: 30,
      unit: "in-flight messages a noisy tenant has at least",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues-detailed.html",
    },
    deadLetterRetention: {
      default: 1209600,
      unit: "seconds",
      docs: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html",
      note: "AWS advises a DLQ retention longer than its source's; Sluice's generated DLQs use the maximum.",
      stated: false,
    },
  },
  eventSourceMapping: {
    batchSize: {
      min: 1,
      max: 10000,
      default: 10,
      unit: "records",
      docs: SQS_ESM_PARAMETERS,
      note: "FIFO queues: at most 10 (see fifoBatchSize).",
    },
    fifoBatchSize: { min: 1, max: 10, default: 10, unit: "records", docs: SQS_ESM_PARAMETERS },
    maximumBatchingWindow: {
      min: 0,
      max: 300,
      default: 0,
      unit: "seconds",
      docs: SQS_ESM_PARAMETERS,
      note: "Not supported for FIFO queues.",
    },
    batchSizeWithoutWindow: {
      max: 10,
      unit: "records",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html",
      note: "A BatchSize above 10 requires MaximumBatchingWindowInSeconds of at least 1.",
    },
    maxConcurrency: {
      min: 2,
      max: 1000,
      unit: "concurrent invocations",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_ScalingConfig.html",
      note: "ScalingConfig.MaximumConcurrency; the same range in CloudFormation's AWS::Lambda::EventSourceMapping ScalingConfig.",
    },
    initialConcurrentBatches: {
      default: 5,
      unit: "concurrent batches a standard queue's mapping starts with",
      docs: SQS_ESM_SCALING,
      note: "Lambda can go down to 2 when traffic is low, but not with maximum concurrency set.",
    },
    scaleUpPerMinute: {
      max: 300,
      unit: "more concurrent batches per minute while messages are still available",
      docs: SQS_ESM_SCALING,
    },
    concurrentBatches: {
      max: 1000,
      unit: "batches one mapping processes at once (standard queue)",
      docs: SQS_ESM_SCALING,
    },
    visibilityTimeoutVsFunctionTimeout: {
      min: 1,
      default: 6,
      unit: "× function timeout",
      docs: "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
      note:
        "Lambda rejects the mapping when the queue's visibility timeout is below the function timeout (min 1×); " +
        "AWS recommends at least 6×.",
    },
  },
  events: {
    putEventsEntrySize: {
      max: 1024 * 1024,
      unit: "bytes",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html",
      note:
        "Raised from 256 KB to 1 MB on 29 January 2026 (AWS Compute Blog, 'serverless services now support payloads up to 1 MB'); " +
        "counted as Time (14 bytes) + Source + DetailType + Detail + Resources in UTF-8.",
    },
    putEventsEntries: {
      min: 1,
      max: 10,
      unit: "entries per request",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html",
    },
    targetsPerRule: {
      min: 1,
      max: 5,
      unit: "targets",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html",
    },
    /** A queue target's `SqsParameters.MessageGroupId`: SQS's group id characters, CloudFormation's length. */
    targetMessageGroupId: {
      min: 1,
      max: 100,
      unit: "characters",
      pattern: GROUP_OR_DEDUPLICATION_ID,
      charset: "letters, digits and punctuation",
      docs: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-events-rule-sqsparameters.html",
    },
    retryAttempts: {
      min: 0,
      max: 185,
      default: 185,
      unit: "retries",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html",
    },
    eventAge: {
      min: 60,
      max: 86400,
      default: 86400,
      unit: "seconds",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html",
    },
    ruleName: {
      min: 1,
      max: 64,
      unit: "characters",
      pattern: /^[.\-_A-Za-z0-9]+$/,
      charset: "letters, digits, dots (.), hyphens (-) and underscores (_)",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
    },
    /** The API's pattern also allows `/`, but only partner event buses may use it. */
    eventBusName: {
      min: 1,
      max: 256,
      unit: "characters",
      pattern: /^[.\-_A-Za-z0-9]+$/,
      charset:
        "letters, digits, dots (.), hyphens (-) and underscores (_); no slashes (/), which only partner buses may use",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html",
    },
    inputPathsMap: {
      max: 100,
      unit: "entries",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html",
    },
    inputTemplate: {
      max: 8192,
      unit: "characters",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html",
    },
    input: {
      max: 8192,
      unit: "characters",
      docs: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html",
    },
  },
  cloudformation: {
    stackName: {
      min: 1,
      max: 128,
      unit: "characters",
      pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
      charset: "a letter, then letters, digits and hyphens (-)",
      docs: "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html",
    },
    templateBody: {
      max: 51200,
      unit: "bytes of a template passed as TemplateBody",
      docs: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
    },
    templateUrl: {
      max: 1024 * 1024,
      unit: "bytes of a template read from TemplateURL (S3)",
      docs: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
    },
    resources: {
      max: 500,
      unit: "resources per template",
      docs: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
    },
    parameters: {
      max: 200,
      unit: "parameters per template",
      docs: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
    },
    outputs: {
      max: 200,
      unit: "outputs per template",
      docs: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html",
    },
    changeSetName: {
      min: 1,
      max: 128,
      unit: "characters",
      pattern: /^[a-zA-Z][-a-zA-Z0-9]*$/,
      charset: "a letter, then letters, digits and hyphens (-)",
      docs: "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html",
    },
  },
  s3: {
    bucketName: {
      min: 3,
      max: 63,
      unit: "characters",
      pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
      charset: "lowercase letters, digits, periods and hyphens; a letter or digit first and last",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    },
    objectKey: {
      min: 1,
      max: 1024,
      unit: "bytes of UTF-8",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html",
    },
    userMetadata: {
      max: 2048,
      unit: "bytes of x-amz-meta-* names and values",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html",
    },
    listMaxKeys: {
      min: 0,
      max: 1000,
      default: 1000,
      unit: "keys per ListObjectsV2 page",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html",
    },
    objectSize: {
      min: 0,
      max: 10_000 * 5 * 1024 ** 3,
      unit: "bytes per object",
      docs: S3_MULTIPART_LIMITS,
      note: "48.8 TiB (AWS announces it as 50 TB, raised from 5 TiB in December 2025): 10,000 parts of 5 GiB.",
    },
    presignedUrlExpiry: {
      min: 1,
      max: 604_800,
      unit: "seconds a SigV4 presigned URL stays valid (X-Amz-Expires)",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html",
      note: "Seven days; S3 answers AuthorizationQueryParametersError above it.",
    },
    putObjectSize: {
      max: 5 * 1024 ** 3,
      unit: "bytes in one PutObject (larger objects need a multipart upload)",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html",
    },
    multipartParts: {
      min: 1,
      max: 10_000,
      unit: "parts per multipart upload (part numbers 1 to 10,000)",
      docs: S3_MULTIPART_LIMITS,
    },
    multipartPartSize: {
      min: 5 * 1024 ** 2,
      max: 5 * 1024 ** 3,
      unit: "bytes per part (the last part may be smaller)",
      docs: S3_MULTIPART_LIMITS,
    },
    lifecycleRules: {
      max: 1000,
      unit: "rules in a bucket's lifecycle configuration",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleConfiguration.html",
    },
    lifecycleDays: {
      min: 1,
      unit: "whole days (Expiration Days, NoncurrentDays, DaysAfterInitiation)",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html",
      note: "S3 counts whole days from the object's creation, rounded to the next midnight UTC.",
    },
    corsRules: {
      max: 100,
      unit: "rules in a bucket's CORS configuration",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSConfiguration.html",
    },
    corsMethods: {
      values: ["GET", "PUT", "HEAD", "POST", "DELETE"],
      unit: "HTTP methods a CORS rule may allow",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html",
    },
    notificationConfigurations: {
      max: 100,
      unit: "event notification configurations per bucket (one per event type and destination)",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html",
      stated: false,
      note: "The page sends readers to S3's service quotas for the number; 100 is what summaries of those quotas give.",
    },
    keyFilterValue: {
      max: 1024,
      unit: "characters of a notification's prefix or suffix filter",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_FilterRule.html",
    },
    objectTags: {
      max: 10,
      unit: "tags per object (keys up to 128 characters, values up to 256)",
      docs: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html",
    },
  },
  logs: {
    logGroupName: {
      min: 1,
      max: 512,
      unit: "characters",
      pattern: /^[.\-_/#A-Za-z0-9]+$/,
      charset: "letters, digits, and . - _ / #",
      docs: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
    },
    logStreamName: {
      min: 1,
      max: 512,
      unit: "characters",
      pattern: /^[^:*]+$/,
      charset: "anything but colon (:) and asterisk (*)",
      docs: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html",
    },
    retentionInDays: {
      values: [
        "1",
        "3",
        "5",
        "7",
        "14",
        "30",
        "60",
        "90",
        "120",
        "150",
        "180",
        "365",
        "400",
        "545",
        "731",
        "1096",
        "1827",
        "2192",
        "2557",
        "2922",
        "3288",
        "3653",
      ],
      unit: "days",
      docs: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    },
    eventsPerPage: {
      min: 1,
      max: 10_000,
      default: 10_000,
      unit: "log events per FilterLogEvents or GetLogEvents page",
      docs: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html",
    },
    bytesPerPage: {
      max: 1_048_576,
      unit: "bytes of log events per FilterLogEvents or GetLogEvents page",
      docs: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html",
    },
    describePageSize: {
      min: 1,
      max: 50,
      default: 50,
      unit: "log groups or streams per Describe page",
      docs: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html",
    },
  },
  /**
   * What a DynamoDB table's declaration is checked against (the definition, the CloudFormation
   * provider). Names and index counts are the rows `LIMITS.dynamodb` holds too, by reference.
   */
  dynamodbTables: {
    tableName: TABLE_NAME_ROW,
    /** Index names follow the rule of table names. */
    indexName: TABLE_NAME_ROW,
    globalSecondaryIndexes: GLOBAL_INDEXES_ROW,
    localSecondaryIndexes: LOCAL_INDEXES_ROW,
    ttlAttributeName: {
      min: 1,
      max: 255,
      unit: "characters of the TTL attribute's name",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TimeToLiveSpecification.html",
    },
    keyTypes: {
      unit: "scalar types a key attribute may have",
      values: ["S", "N", "B"],
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeDefinition.html",
    },
    streamViewTypes: {
      unit: "what a stream record holds",
      values: ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"],
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html",
    },
  },
  /** Lambda's event source mapping on a DynamoDB stream (its parameters for DynamoDB Streams). */
  streamEventSourceMapping: {
    batchSize: { min: 1, max: 10000, default: 100, unit: "records", docs: DDB_ESM_PARAMETERS },
    maximumBatchingWindow: { min: 0, max: 300, default: 0, unit: "seconds", docs: DDB_ESM_PARAMETERS },
    maximumRetryAttempts: {
      min: -1,
      max: 10000,
      default: -1,
      unit: "retries (-1: until the record expires)",
      docs: DDB_ESM_PARAMETERS,
    },
    maximumRecordAge: {
      min: 60,
      max: 604800,
      unit: "seconds (or -1, the default: no limit)",
      docs: ESM_CONFIGURATION,
      note: "The API's range is -1 to 604,800, but values from 0 to 59 are refused: -1 or 60–604,800.",
    },
    parallelizationFactor: {
      min: 1,
      max: 10,
      default: 1,
      unit: "concurrent batches per shard",
      docs: DDB_ESM_PARAMETERS,
    },
    tumblingWindow: {
      min: 0,
      max: 900,
      default: 0,
      unit: "seconds (0: no tumbling window)",
      docs: DDB_ESM_PARAMETERS,
    },
    startingPositions: {
      unit: "where a new mapping starts reading (required for streams)",
      values: ["TRIM_HORIZON", "LATEST"],
      docs: DDB_ESM_PARAMETERS,
    },
    filters: {
      min: 1,
      max: 5,
      unit: "filters per event source mapping (default quota; up to 10 on request)",
      docs: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html",
      note: "Applies to SQS mappings too.",
    },
    filterPatternLength: {
      max: 4096,
      unit: "characters of one filter's pattern (as JSON)",
      docs: "https://docs.aws.amazon.com/lambda/latest/api/API_Filter.html",
    },
  },
  /** DynamoDB's expression parameters and the numbers they compute with. */
  dynamodbExpressions: {
    expressionLength: {
      max: 4096,
      unit: "bytes per expression string (4 KB)",
      docs: DYNAMODB_CONSTRAINTS,
    },
    placeholderLength: {
      max: 255,
      unit: "bytes per expression attribute name or value placeholder (#name is 5 bytes)",
      docs: DYNAMODB_CONSTRAINTS,
    },
    substitutionBytes: {
      max: 2_097_152,
      unit: "bytes of all ExpressionAttributeNames and ExpressionAttributeValues together (2 MB)",
      docs: DYNAMODB_CONSTRAINTS,
    },
    operators: {
      max: 300,
      unit: "operators or functions per UpdateExpression",
      docs: DYNAMODB_CONSTRAINTS,
    },
    inOperands: {
      max: 100,
      unit: "operands of the IN comparator",
      docs: DYNAMODB_CONSTRAINTS,
    },
    nestingDepth: {
      max: 32,
      unit: "levels of nested attributes",
      docs: DYNAMODB_CONSTRAINTS,
    },
    numberPrecision: {
      max: 38,
      unit: "significant digits of a Number",
      docs: DYNAMODB_NUMBER,
    },
    numberMaxExponent: {
      max: 125,
      unit: "decimal exponent of the largest Number magnitude (9.9999999999999999999999999999999999999E+125)",
      docs: DYNAMODB_NUMBER,
    },
    numberMinExponent: {
      min: -130,
      unit: "decimal exponent of the smallest non-zero Number magnitude (1E-130)",
      docs: DYNAMODB_NUMBER,
    },
  },
  /** DynamoDB's tables, items and the operations on them (the local engine enforces each). */
  dynamodb: {
    tableName: TABLE_NAME_ROW,
    attributeNameLength: {
      min: 1,
      max: 65_535,
      unit: "bytes per attribute name (key and index key attributes: 255)",
      docs: DYNAMODB_CONSTRAINTS,
    },
    keyAttributeNameLength: {
      max: 255,
      unit: "bytes per key or index key attribute name",
      docs: DYNAMODB_CONSTRAINTS,
    },
    itemSize: {
      max: 409_600,
      unit: "bytes per item (400 KB: attribute names and values, UTF-8)",
      docs: DYNAMODB_CONSTRAINTS,
    },
    partitionKeySize: {
      min: 1,
      max: 2048,
      unit: "bytes per partition key value",
      docs: DYNAMODB_CONSTRAINTS,
    },
    sortKeySize: {
      min: 1,
      max: 1024,
      unit: "bytes per sort key value",
      docs: DYNAMODB_CONSTRAINTS,
    },
    globalSecondaryIndexes: GLOBAL_INDEXES_ROW,
    localSecondaryIndexes: LOCAL_INDEXES_ROW,
    projectedAttributes: {
      max: 100,
      unit: "non-key attributes projected into all of a table's indexes together (INCLUDE)",
      docs: DYNAMODB_CONSTRAINTS,
    },
    projectedAttributesPerIndex: {
      min: 1,
      max: 20,
      unit: "non-key attributes one index projects (INCLUDE's NonKeyAttributes)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Projection.html",
    },
    pageSize: {
      max: 1_048_576,
      unit: "bytes of items read per Query or Scan page (1 MB, before any FilterExpression)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html",
    },
    batchWriteRequests: {
      max: 25,
      unit: "put or delete requests per BatchWriteItem",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html",
    },
    batchGetKeys: {
      max: 100,
      unit: "keys per BatchGetItem",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html",
    },
    batchGetBytes: {
      max: 16_777_216,
      unit: "bytes of items per BatchGetItem answer (16 MB)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html",
    },
    transactionItems: {
      max: 100,
      unit: "actions per TransactWriteItems or TransactGetItems",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html",
    },
    transactionBytes: {
      max: 4_194_304,
      unit: "bytes of items per transaction (4 MB)",
      docs: DYNAMODB_CONSTRAINTS,
    },
    clientRequestTokenMinutes: {
      default: 10,
      unit: "minutes a TransactWriteItems ClientRequestToken stays idempotent",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html",
    },
    clientRequestTokenLength: {
      min: 1,
      max: 36,
      unit: "characters per ClientRequestToken",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html",
    },
    partiqlBatchStatements: {
      min: 1,
      max: 25,
      unit: "statements per PartiQL BatchExecuteStatement",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html",
    },
    partiqlTransactionStatements: {
      min: 1,
      max: 100,
      unit: "statements per PartiQL ExecuteTransaction",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteTransaction.html",
    },
    partiqlStatementLength: {
      min: 1,
      max: 8192,
      unit: "characters per PartiQL statement",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html",
    },
    parallelScanSegments: {
      min: 1,
      max: 1_000_000,
      unit: "TotalSegments of a parallel Scan",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html",
    },
    listTablesLimit: {
      min: 1,
      max: 100,
      default: 100,
      unit: "table names per ListTables page",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html",
    },
    tagsPerResource: {
      max: 50,
      unit: "tags per table",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html",
    },
    accountCapacityUnits: {
      default: 80_000,
      unit: "provisioned read (and, separately, write) capacity units per account and region (DescribeLimits)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#default-limits-throughput-capacity-modes",
    },
    tableCapacityUnits: {
      default: 40_000,
      unit: "provisioned read (and, separately, write) capacity units per table (DescribeLimits)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#default-limits-throughput-capacity-modes",
    },
    tagKeyLength: {
      min: 1,
      max: 128,
      unit: "characters per tag key",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Tag.html",
    },
    tagValueLength: {
      min: 0,
      max: 256,
      unit: "characters per tag value",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Tag.html",
    },
    writeUnitBytes: {
      max: 1024,
      unit: "bytes of item per write capacity unit (1 KB)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html",
    },
    readUnitBytes: {
      max: 4096,
      unit: "bytes of item per read capacity unit, strongly consistent (4 KB; half a unit eventually consistent)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html",
    },
    ttlMaxPastYears: {
      max: 5,
      unit: "years in the past beyond which a TTL value no longer expires its item",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html",
    },
    streamRetentionHours: {
      default: 24,
      unit: "hours a stream's records (and a disabled stream) stay readable",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html",
    },
    globalTableReplicationLatency: {
      default: 1000,
      unit: "ms between a write to a global table's replica and its arrival in the others (local replication lag)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html",
      note: "AWS: a newly written item is usually propagated to all replica tables within a second; no SLA.",
    },
  },
  /** The DynamoDB Streams API (DynamoDBStreams_20120810) and what Lambda's stream pollers do with it. */
  dynamodbStreams: {
    getRecordsLimit: {
      min: 1,
      max: 1000,
      default: 1000,
      unit: "stream records per GetRecords",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html",
    },
    getRecordsBytes: {
      max: 1024 * 1024,
      unit: "bytes of stream records per GetRecords (1 MB)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html",
    },
    shardIteratorLifetime: {
      max: 15 * 60,
      unit: "seconds a shard iterator stays usable after it is returned (ExpiredIteratorException after)",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html",
    },
    describeLimit: {
      min: 1,
      max: 100,
      default: 100,
      unit: "shards per DescribeStream, streams per ListStreams",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html",
    },
    sequenceNumberLength: {
      min: 21,
      max: 40,
      unit: "digits of a SequenceNumber",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_SequenceNumberRange.html",
    },
    shardsPerStream: {
      default: 4,
      unit: "shards of each local stream, chosen by a hash of the partition key",
      docs: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.Processing",
      note:
        "AWS creates and closes shards on its own (a shard is ephemeral, split into children as the table's " +
        "partitions change) and publishes no count; Sluice keeps a fixed number that never splits, which still " +
        "keeps every item's changes in one shard, in order.",
      stated: false,
    },
    pollsPerSecond: {
      default: 4,
      unit: "GetRecords calls Lambda makes per shard per second while it finds nothing",
      docs: "https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html",
    },
    tumblingWindowStateBytes: {
      max: 1024 * 1024,
      unit: "bytes of a tumbling window's state per shard (more ends the window early)",
      docs: "https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html",
    },
  },
  /**
   * Route 53 health checks (HealthCheckConfig) and the domain an app's records answer for; the
   * domain also names the ACM certificate and the API's custom domain in each region.
   */
  route53: {
    requestInterval: {
      min: 10,
      max: 30,
      default: 30,
      unit: "seconds between a checker's requests: 10 (fast) or 30, fixed once created",
      values: ["10", "30"],
      docs: ROUTE53_HEALTH_CHECK_CONFIG,
    },
    failureThreshold: {
      min: 1,
      max: 10,
      default: 3,
      unit: "consecutive results that change a health check's status",
      docs: ROUTE53_HEALTH_CHECK_CONFIG,
    },
    resourcePath: {
      max: 255,
      unit: "characters of the path a checker requests, query string included",
      docs: ROUTE53_HEALTH_CHECK_CONFIG,
    },
    domainName: {
      max: 253,
      unit: "characters of a DNS name, dots included",
      docs: ACM_REQUEST_CERTIFICATE,
    },
    domainLabel: {
      min: 1,
      max: 63,
      unit: "characters of one label of a DNS name",
      docs: ROUTE53_DOMAIN_NAME_FORMAT,
    },
    certificateCommonName: {
      max: 64,
      unit: "characters of a certificate's domain name (its Common Name, RFC 5280)",
      docs: ACM_REQUEST_CERTIFICATE,
    },
    // What one health checker waits for (the local checker, src/local/route53/health-ping.ts).
    connectTimeout: {
      default: 4,
      unit: "seconds an HTTP or HTTPS checker waits to establish the TCP connection",
      docs: ROUTE53_ENDPOINT_HEALTH,
    },
    responseTimeout: {
      default: 2,
      unit: "seconds after connecting within which an HTTP or HTTPS checker needs a 2xx or 3xx status",
      docs: ROUTE53_ENDPOINT_HEALTH,
    },
    healthyCheckerShare: {
      default: 18,
      unit: "percent of checkers that must report healthy, exclusive (more than 18%), for a healthy check",
      docs: ROUTE53_ENDPOINT_HEALTH,
    },
    healthCheckedRecordTtl: {
      max: 60,
      default: 60,
      unit: "seconds of TTL recommended for records with a health check (an alias record takes its target's TTL)",
      docs: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover.html",
    },
    // The SOA record Route 53 creates in each public hosted zone (the local DNS server puts it in
    // the authority section of its NXDOMAIN and no-data answers, RFC 2308 §3).
    soaRecordTtl: {
      default: 900,
      unit: "seconds of TTL of a hosted zone's SOA record",
      docs: ROUTE53_SOA_NS_RECORDS,
    },
    soaRefresh: {
      default: 7200,
      unit: "seconds in the refresh field of a hosted zone's SOA record",
      docs: ROUTE53_SOA_NS_RECORDS,
    },
    soaRetry: {
      default: 900,
      unit: "seconds in the retry field of a hosted zone's SOA record",
      docs: ROUTE53_SOA_NS_RECORDS,
    },
    soaExpire: {
      default: 1209600,
      unit: "seconds in the expire field of a hosted zone's SOA record",
      docs: ROUTE53_SOA_NS_RECORDS,
    },
    soaMinimum: {
      default: 86400,
      unit: "seconds in the minimum (negative caching) field of a hosted zone's SOA record",
      docs: ROUTE53_SOA_NS_RECORDS,
    },
    healthCheckId: {
      max: 64,
      unit: "characters of a health check's ID (longer: InvalidInput)",
      docs: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html",
    },
    // The health check alarms of the global stack (src/aws/resources/alarms.ts): Route 53's
    // metrics are standard resolution, one data point a minute, in us-east-1 only, and an alarm
    // on a standard-resolution metric takes a Period of 60 seconds or a multiple of it.
    healthCheckMetricPeriod: {
      min: 60,
      default: 60,
      unit: "seconds of the period of an alarm on AWS/Route53 HealthCheckStatus (standard resolution)",
      docs: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html",
    },
  },
  /** CloudWatch metric alarms (PutMetricAlarm), as `sluice cloud`'s provider checks them. */
  cloudwatchAlarms: {
    alarmName: {
      min: 1,
      max: 255,
      unit: "characters of an alarm's name",
      docs: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    },
    period: {
      min: 10,
      unit: "seconds per evaluated period: 10, 20, 30 or a multiple of 60",
      values: ["10", "20", "30"],
      docs: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    },
    actions: {
      max: 5,
      unit: "actions per alarm state (AlarmActions, OKActions, InsufficientDataActions)",
      docs: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    },
  },
  /** Step Functions' intrinsic functions (JSONPath states), as the local interpreter checks their arguments. */
  stepFunctionsIntrinsics: {
    nesting: { max: 10, unit: "intrinsic functions nested in one field", docs: SFN_INTRINSICS },
    arrayRangeItems: { max: 1000, unit: "items States.ArrayRange may produce", docs: SFN_INTRINSICS },
    hashInput: { max: 10000, unit: "characters of States.Hash's input", docs: SFN_INTRINSICS },
    base64EncodeInput: {
      max: 10000,
      unit: "characters of States.Base64Encode's input",
      docs: SFN_INTRINSICS,
    },
    base64DecodeInput: {
      max: 10000,
      unit: "characters of States.Base64Decode's input",
      docs: SFN_INTRINSICS,
    },
    hashAlgorithm: {
      values: ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"],
      unit: "States.Hash algorithms",
      docs: SFN_INTRINSICS,
    },
  },
  /** SNS topics and subscriptions, as `sluice cloud`'s providers check them. */
  sns: {
    topicName: {
      min: 1,
      max: 256,
      unit: "characters of a topic's name (letters, digits, '-', '_'; a FIFO topic's ends in .fifo)",
      pattern: /^[A-Za-z0-9_-]{1,256}$/,
      docs: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
    },
    protocol: {
      unit: "subscription protocols",
      values: ["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"],
      docs: "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html",
    },
  },
  /**
   * Step Functions' API members, as its wire checks them (src/local/stepfunctions/wire/): the
   * "Length Constraints" and "Valid Range" of each operation's request page.
   */
  stepFunctionsApi: {
    arn: {
      min: 1,
      max: 256,
      unit: "characters of a state machine or execution ARN",
      docs: SFN_API_DESCRIBE_EXECUTION,
    },
    executionName: SFN_NAME_ROW,
    executionInput: SFN_PAYLOAD_ROW,
    traceHeader: { max: 256, unit: "characters of an X-Ray trace header", docs: SFN_API_START_EXECUTION },
    listMaxResults: {
      min: 0,
      max: 1000,
      default: 100,
      unit: "results per page (maxResults; 0 = the default)",
      docs: SFN_API_LIST_EXECUTIONS,
    },
    stateMachinesNextToken: {
      min: 1,
      max: 1024,
      unit: "characters of ListStateMachines' nextToken",
      docs: `${SFN_API}/API_ListStateMachines.html`,
    },
    executionsNextToken: {
      min: 1,
      max: 3096,
      unit: "characters of ListExecutions' and GetExecutionHistory's nextToken",
      docs: SFN_API_LIST_EXECUTIONS,
    },
    taskToken: { min: 1, max: 2048, unit: "characters of a task token", docs: SFN_API_SEND_TASK_SUCCESS },
    taskOutput: SFN_PAYLOAD_ROW,
    error: { max: 256, unit: "characters of an error name", docs: SFN_API_SEND_TASK_FAILURE },
    cause: { max: 32768, unit: "characters of a cause", docs: SFN_API_SEND_TASK_FAILURE },
  },
  /**
   * Step Functions' data language: a Retry entry's fields and workflow variables (Assign), as the
   * local interpreter applies them (src/local/stepfunctions/language/).
   */
  stepFunctionsLanguage: {
    retryIntervalSeconds: {
      min: 1,
      max: 99999999,
      default: 1,
      unit: "seconds before a retrier's first retry (IntervalSeconds)",
      docs: SFN_ERROR_HANDLING,
    },
    retryMaxAttempts: {
      min: 0,
      max: 99999999,
      default: 3,
      unit: "retries of one retrier (MaxAttempts; 0 = never retried)",
      docs: SFN_ERROR_HANDLING,
    },
    retryBackoffRate: {
      min: 1,
      default: 2,
      unit: "multiplier of the retry interval on each attempt (BackoffRate)",
      docs: SFN_ERROR_HANDLING,
    },
    retryMaxDelaySeconds: {
      min: 1,
      max: 31622401,
      unit: "seconds at most between two retries (MaxDelaySeconds; no cap when absent)",
      docs: SFN_ERROR_HANDLING,
    },
    retryJitterStrategy: {
      values: ["FULL", "NONE"],
      default: "NONE",
      unit: "jitter of the retry interval (FULL: a random delay between 0 and the computed one)",
      docs: SFN_ERROR_HANDLING,
    },
    variableName: {
      min: 1,
      max: 80,
      unit: "characters of a variable's name (first a Unicode ID_Start, then ID_Continue; not `states`)",
      pattern: /^\p{ID_Start}\p{ID_Continue}{0,79}$/u,
      docs: SFN_VARIABLES,
    },
    variableSize: {
      max: 256 * 1024,
      unit: "bytes of one variable's value, as UTF-8 JSON",
      docs: SFN_VARIABLES,
    },
    assignSize: {
      max: 256 * 1024,
      unit: "bytes of all the values one Assign field sets, as UTF-8 JSON",
      docs: SFN_VARIABLES,
    },
    variablesTotalSize: {
      max: 10 * 1024 * 1024,
      unit: "bytes of all the variables an execution stores, as UTF-8 JSON",
      docs: SFN_VARIABLES,
    },
  },
  /**
   * Step Functions' quotas on state machines and executions, as the definition (src/model) and the
   * engine apply them. Retry defaults are in stepFunctionsLanguage, API members in stepFunctionsApi.
   */
  stepFunctions: {
    stateMachineName: SFN_NAME_ROW,
    /**
     * A Sluice choice within AWS's rule: the characters CloudWatch Logs accepts in a state
     * machine's name (AWS: "To enable logging with CloudWatch Logs, the name should only contain
     * 0-9, A-Z, a-z, - and _"); it also keeps `SLUICE_STATE_MACHINE_<NAME>_ARN` readable.
     */
    stateMachineDefinitionName: {
      min: 1,
      unit: "characters of a state machine's definition name",
      pattern: /^[A-Za-z0-9_-]+$/,
      charset: "letters, digits, hyphens and underscores",
      docs: `${SFN_API}/API_CreateStateMachine.html`,
      stated: false,
    },
    definitionSize: {
      max: 1_048_576,
      unit: "bytes of a state machine's definition (1 MB, a hard quota)",
      docs: `${SFN_QUOTAS}#service-limits-accounts`,
    },
    payloadSize: SFN_PAYLOAD_ROW,
    historyEvents: {
      max: 25_000,
      unit: "events in one execution's history",
      docs: `${SFN_QUOTAS}#service-limits-state-machine-executions`,
    },
    standardDuration: {
      max: 31_536_000,
      unit: "seconds a STANDARD execution may run (one year)",
      docs: `${SFN_QUOTAS}#service-limits-state-machine-executions`,
    },
    expressDuration: {
      max: 300,
      unit: "seconds an EXPRESS execution may run (five minutes)",
      docs: `${SFN_QUOTAS}#service-limits-state-machine-executions`,
    },
    taskTokenLifetime: {
      max: 31_536_000,
      unit: "seconds a task may wait for its token (a STANDARD execution's one year)",
      docs: `${SFN_QUOTAS}#service-limits-task-executions`,
    },
    historyRetention: {
      default: 90,
      unit: "days a closed STANDARD execution's history is kept",
      docs: `${SFN_QUOTAS}#service-limits-state-machine-executions`,
    },
    mapMaxConcurrency: {
      min: 0,
      default: 0,
      unit: "concurrent Map iterations a MaxConcurrency asks for (0: as many as possible)",
      docs: "https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html",
    },
    inlineMapConcurrency: {
      max: 40,
      unit: "iterations an inline Map runs at once, whatever its MaxConcurrency",
      docs: "https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html",
    },
  },
  /** EC2 facts a server fleet (issue 19) relies on: instance type names and resource IDs. */
  ec2: {
    /**
     * `<family>.<size>`: a series letter, a generation digit, options, a dot and a size, e.g.
     * t4g.small, m7i-flex.large, u-6tb1.metal ("Amazon EC2 instance type naming conventions").
     */
    instanceType: {
      unit: "characters",
      pattern: /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.[a-z0-9]+(?:-[a-z0-9]+)*$/,
      charset: "<family>.<size> in lower case, e.g. t4g.small, c7g.large, m7i-flex.xlarge",
      default: "t4g.small",
      docs: "https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html",
      stated: false,
    },
    /** `subnet-` and 8 (older) or 17 hexadecimal characters ("Resource IDs"). */
    subnetId: {
      unit: "characters",
      pattern: /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
      charset: `"subnet-" followed by 8 or 17 lower-case hexadecimal characters`,
      docs: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html",
    },
  },
  /** Auto Scaling groups (a fleet on EC2). */
  autoScaling: {
    /** MinSize and MaxSize are whole numbers from 0; the group keeps min ≤ desired ≤ max. */
    groupSize: {
      min: 0,
      unit: "instances",
      docs: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html",
      stated: false,
    },
  },
  /** Application Load Balancers and their target groups (a fleet's `loadBalancer`). */
  elb: {
    /** Letters, digits and hyphens, not starting or ending with a hyphen, not starting "internal-". */
    loadBalancerName: {
      min: 1,
      max: 32,
      unit: "characters",
      pattern: /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/,
      charset: "letters, digits and inner hyphens, not starting with internal-",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    },
    targetGroupName: {
      min: 1,
      max: 32,
      unit: "characters",
      pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/,
      charset: "letters, digits and inner hyphens",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    },
    /** An application load balancer needs subnets in at least two Availability Zones. */
    loadBalancerSubnets: {
      min: 2,
      unit: "subnets, in different Availability Zones",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    },
    targetPort: {
      min: 1,
      max: 65535,
      unit: "port",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    },
    healthCheckIntervalSeconds: {
      min: 5,
      max: 300,
      default: 30,
      unit: "seconds between health checks of one target",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    },
    healthCheckTimeoutSeconds: {
      min: 2,
      max: 120,
      default: 5,
      unit: "seconds without a response before a check fails (HTTP target groups)",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    },
    healthyThresholdCount: {
      min: 2,
      max: 10,
      default: 5,
      unit: "consecutive successful checks before a target is healthy (HTTP target groups)",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    },
    unhealthyThresholdCount: {
      min: 2,
      max: 10,
      default: 2,
      unit: "consecutive failed checks before a target is unhealthy (HTTP target groups)",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    },
    /** How long a connection may stay idle, no byte either way, before the load balancer closes it. */
    idleTimeoutSeconds: {
      min: 1,
      max: 4000,
      default: 60,
      unit: "seconds (idle_timeout.timeout_seconds)",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html",
    },
    /** How long the load balancer drains a deregistering target (deregistration_delay.timeout_seconds). */
    deregistrationDelaySeconds: {
      min: 0,
      max: 3600,
      default: 300,
      unit: "seconds",
      docs: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html",
    },
  },
  /** ECS on Fargate (a fleet with platform "fargate"). */
  ecs: {
    /** A container's stopTimeout: SIGTERM, then SIGKILL after this long; on Fargate at most 120 s. */
    fargateStopTimeout: {
      max: 120,
      default: 30,
      unit: "seconds",
      docs: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    },
  },
  /** IAM instance profiles (a fleet on EC2 takes its instance role through one). */
  iamInstanceProfile: {
    /** An instance profile holds one role (quota "Roles in an instance profile", not adjustable). */
    roles: {
      max: 1,
      unit: "roles",
      docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    },
    name: {
      min: 1,
      max: 128,
      unit: "characters",
      pattern: /^[\w+=,.@-]{1,128}$/,
      charset: "letters, digits and +=,.@_-",
      docs: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html",
    },
  },
} as const satisfies Record<string, Record<string, LimitRow>>;

/**
 * One Lambda Node.js runtime and the dates of its deprecation, as AWS's Lambda runtimes page lists
 * them (its "Supported runtimes" table, and "Deprecated runtimes" once the deprecation date has
 * passed; the Node.js and TypeScript pages of the developer guide repeat the same table).
 */
export interface RuntimeRow {
  /** The Node.js major version the runtime runs. */
  readonly nodeMajor: number;
  /** Lambda stops patching the runtime (ISO date). */
  readonly deprecation: string;
  /** Lambda refuses CreateFunction with the runtime from this date (ISO date): "Block function create". */
  readonly blockCreate: string;
  /** Lambda refuses updating functions that use it from this date (ISO date): "Block function update". */
  readonly blockUpdate: string;
  /** The AWS page that states the dates. */
  readonly docs: string;
}

/**
 * Every Lambda Node.js runtime Sluice knows, supported or not. Only those in
 * `LIMITS.lambda.runtime.values` may be used; the others are here so validation can say why not.
 */
export const RUNTIMES = {
  "nodejs24.x": {
    nodeMajor: 24,
    deprecation: "2028-04-30",
    blockCreate: "2028-06-01",
    blockUpdate: "2028-07-01",
    docs: `${LAMBDA_RUNTIMES_PAGE}#runtimes-supported`,
  },
  "nodejs22.x": {
    nodeMajor: 22,
    deprecation: "2027-04-30",
    blockCreate: "2027-06-01",
    blockUpdate: "2027-07-01",
    docs: `${LAMBDA_RUNTIMES_PAGE}#runtimes-supported`,
  },
  // AWS moved nodejs20.x's blocks from Jun 1 / Jul 1, 2026 (the usual pattern) to these dates.
  "nodejs20.x": {
    nodeMajor: 20,
    deprecation: "2026-04-30",
    blockCreate: "2026-08-31",
    blockUpdate: "2026-09-30",
    docs: `${LAMBDA_RUNTIMES_PAGE}#runtimes-deprecated`,
  },
} as const satisfies Record<string, RuntimeRow>;

/**
 * The task sizes Fargate runs: each cpu (CPU units, 1024 = 1 vCPU) with the memory (MiB) it allows,
 * as the ECS developer guide's "Task CPU and memory" table lists them for Linux. 8 and 16 vCPU
 * need platform version 1.4.0 or later (the default, LATEST, is).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, by: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += by) values.push(value);
  return values;
}
