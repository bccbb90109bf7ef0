/**
 * Malformed and hostile requests for every protocol Sluice serves (SQS, STS, Lambda, EventBridge,
 * S3 on both endpoints, DynamoDB and its Streams, Step Functions, CloudFormation, Logs, Route 53,
 * EC2, ELBv2, the control API with its trace routes, the console page, HTTP and WebSocket APIs and
 * `sluice serve`), as an attacker (or a broken client) would send them: wrong JSON types, keys
 * that name prototype members, bad percent-encoding, paths that try to climb out of a bucket or a
 * state folder, unknown actions, XML bombs. Each request is signed syntactically (the endpoint reads the scope, it does not check
 * the signature), so it reaches the parser it is aimed at rather than the unsigned-request check.
 */

export type Server = "dev" | "cloud" | "api" | "ws" | "serve";

export interface HostileRequest {
  readonly name: string;
  readonly server: Server;
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Replace the Host header (a DNS-rebinding stand-in). */
  readonly host?: string;
  /** Leave the request unsigned. */
  readonly unsigned?: boolean;
  /** The SigV4 scope's service and region. @default from the protocol */
  readonly service?: string;
  readonly region?: string;
}

/** What the generators need to know about the running servers. */
export interface Targets {
  /** A queue the hostile requests may damage (not the one holding the data that must survive). */
  readonly queueUrl: string;
  /** An HTTP API route of the api app. */
  readonly httpBase: string;
  /** The WebSocket API's stage path, e.g. `/dev`. */
  readonly wsStage: string;
  /** `dev`'s control token, which the console page's path carries. */
  readonly consoleToken: string;
}

const PROTO_KEYS = ["__proto__", "constructor", "prototype"] as const;

const JSON_GARBAGE = ["not json", "[]", "42", "null", '"text"', "{", '{"a":1}{'];

function sqsJson(t: Targets): HostileRequest[] {
  const url = JSON.stringify(t.queueUrl);
  const bodies = [
    ...JSON_GARBAGE,
    '{"QueueUrl":{}}',
    `{"QueueUrl":${url},"MessageBody":5}`,
    `{"__proto__":{"polluted":1},"QueueUrl":${url},"MessageBody":"x"}`,
    `{"constructor":{"prototype":{"polluted":1}},"QueueUrl":${url}}`,
    `{"QueueUrl":${url},"MessageBody":"x","MessageAttributes":"x"}`,
    `{"QueueUrl":${url},"MessageBody":"x","MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"x"}}}`,
    `{"QueueUrl":${url},"MessageBody":"x","MessageAttributes":{"constructor":{"DataType":5}}}`,
    `{"QueueUrl":${url},"Entries":{}}`,
    `{"QueueUrl":${url},"Entries":[null,1,"x",{"Id":{}}]}`,
    `{"QueueUrl":${url},"Attributes":{"__proto__":"1","VisibilityTimeout":"1e300"}}`,
    `{"QueueUrl":${url},"AttributeNames":"All"}`,
    '{"QueueName":"../../x"}',
    `{"QueueUrl":${url},"MessageBody":"x","DelaySeconds":1e300}`,
    `{"QueueUrl":${url},"ReceiptHandle":{"__proto__":1},"VisibilityTimeout":-1}`,
  ];
  const actions = [
    "SendMessage",
    "SendMessageBatch",
    "ReceiveMessage",
    "DeleteMessage",
    "DeleteMessageBatch",
    "ChangeMessageVisibility",
    "GetQueueAttributes",
    "SetQueueAttributes",
    "CreateQueue",
    "GetQueueUrl",
    "ListQueues",
    "TagQueue",
    "__proto__",
    "constructor",
    "toString",
  ];
  return actions.flatMap((action) =>
    bodies.map((body, i) => ({
      name: `SQS JSON ${action} #${i}`,
      server: "dev" as const,
      method: "POST",
      path: "/",
      headers: { "x-amz-target": `AmazonSQS.${action}`, "content-type": "application/x-amz-json-1.0" },
      body,
    })),
  );
}

function sqsQuery(t: Targets): HostileRequest[] {
  const url = encodeURIComponent(t.queueUrl);
  const params = [
    ...PROTO_KEYS.map((k) => `${k}.DelaySeconds=900`),
    "constructor.prototype.DelaySeconds=900",
    "__proto__.polluted=1",
    "Attribute.__proto__.Name=x",
    "Attribute.1.Name=__proto__&Attribute.1.Value=1",
    "MessageAttribute.1.Name=constructor&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=x",
    "MessageAttribute.__proto__.Name=x",
    "SendMessageBatchRequestEntry.__proto__.Id=x",
    "SendMessageBatchRequestEntry.1.constructor.prototype=x",
    "QueueUrl=%ZZ",
    "Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=1e300",
  ];
  const actions = ["SendMessage", "SendMessageBatch", "SetQueueAttributes", "CreateQueue", "ReceiveMessage"];
  const invalidActions = ["__proto__", "constructor", "hasOwnProperty"];
  return [
    ...actions.flatMap((action) =>
      params.map((p, i) => ({
        name: `SQS query ${action} #${i}`,
        server: "dev" as const,
        method: "POST",
        path: "/",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `Action=${action}&Version=2012-11-05&QueueUrl=${url}&QueueName=q&MessageBody=x&${p}`,
        service: "sqs",
      })),
    ),
    ...invalidActions.map((action) => ({
      name: `SQS query Action=${action}`,
      server: "dev" as const,
      method: "POST",
      path: "/",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `Action=${action}&Version=2012-11-05`,
      service: "sqs",
    })),
  ];
}

function sts(): HostileRequest[] {
  const bodies = [
    "Action=GetCallerIdentity&Version=2011-06-15&__proto__.x=1",
    "Action=AssumeRole&Version=2011-06-15&RoleArn=constructor",
    "Action=__proto__&Version=2011-06-15",
    "Action=GetCallerIdentity&Version=2011-06-15&constructor.prototype.x=1",
  ];
  return bodies.map((body, i) => ({
    name: `STS query #${i}`,
    server: "dev" as const,
    method: "POST",
    path: "/",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
    service: "sts",
  }));
}

function lambdaRest(): HostileRequest[] {
  const fn = "endpoint-echo";
  const paths = [
    "/2015-03-31/functions/%E0%A4%A/invocations",
    "/2015-03-31/functions/%/invocations",
    "/2015-03-31/functions/..%2F..%2Fetc/invocations",
    "/2015-03-31/functions/../../etc/invocations",
    "/2015-03-31/functions/__proto__/invocations",
    "/2015-03-31/functions/constructor/configuration",
    "/2015-03-31/functions/prototype",
    `/2015-03-31/functions/${fn}:__proto__/invocations`,
    "/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:constructor/invocations",
    `/2015-03-31/functions/${"a".repeat(5000)}/invocations`,
    `/2015-03-31/functions/${fn}/invocations?Qualifier=%ZZ`,
    `/2015-03-31/functions/${fn}/invocations?Qualifier=__proto__`,
    "/2019-09-25/functions/constructor/event-invoke-config",
    "/2015-03-31/functions/",
    "/2015-03-31/functions/%00/invocations",
  ];
  const methods = ["POST", "GET"];
  const requests: HostileRequest[] = paths.flatMap((path, i) =>
    methods.map((method) => ({
      name: `Lambda ${method} path #${i}`,
      server: "dev" as const,
      method,
      path,
      body: '{"__proto__":{"polluted":1}}',
      service: "lambda",
    })),
  );
  const headerSets: Record<string, string>[] = [
    { "x-amz-invocation-type": "__proto__" },
    { "x-amz-log-type": "constructor" },
    { "x-amz-client-context": "%%% not base64 %%%" },
    { "x-amz-client-context": Buffer.from('{"__proto__":{"polluted":1}}').toString("base64") },
    { "content-type": "application/json", "x-amz-invocation-type": "DryRun" },
  ];
  for (const [i, headers] of headerSets.entries()) {
    requests.push({
      name: `Lambda invoke headers #${i}`,
      server: "dev",
      method: "POST",
      path: `/2015-03-31/functions/${fn}/invocations`,
      headers,
      body: "{}",
      service: "lambda",
    });
  }
  return requests;
}

function events(): HostileRequest[] {
  const bodies = [
    ...JSON_GARBAGE,
    '{"Entries":"x"}',
    '{"Entries":[{"Detail":5}]}',
    '{"Entries":[null]}',
    '{"Entries":[{"Time":"not a date","Source":"a","DetailType":"b","Detail":"{}"}]}',
    '{"Entries":[{"Source":"a","DetailType":"b","Detail":"{\\"__proto__\\":{\\"polluted\\":1}}"}]}',
    '{"Entries":[{"Source":"a","DetailType":"b","Detail":"{}","Resources":"x"}]}',
    '{"EventPattern":"{\\"__proto__\\":{\\"x\\":[1]}}","Event":"{}"}',
    '{"EventPattern":5,"Event":{}}',
    '{"EventPattern":"{\\"source\\":[{\\"anything-but\\":{\\"constructor\\":1}}]}","Event":"{\\"source\\":\\"a\\"}"}',
    '{"Name":"__proto__","EventBusName":"constructor"}',
  ];
  const actions = ["PutEvents", "TestEventPattern", "ListRules", "DescribeEventBus", "PutRule", "__proto__"];
  return actions.flatMap((action) =>
    bodies.map((body, i) => ({
      name: `EventBridge ${action} #${i}`,
      server: "dev" as const,
      method: "POST",
      path: "/",
      headers: { "x-amz-target": `AWSEvents.${action}`, "content-type": "application/x-amz-json-1.1" },
      body,
      service: "events",
    })),
  );
}

const XML_BOMB = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Delete><Object><Key>&lol3;</Key></Object></Delete>`;

/** S3's REST protocol: on `sluice cloud`'s account endpoint and on `dev`'s endpoint (path style). */
function s3(server: "cloud" | "dev"): HostileRequest[] {
  const requests: HostileRequest[] = [];
  const add = (name: string, method: string, path: string, body?: string, headers?: Record<string, string>) =>
    requests.push({
      name: `S3 on ${server} ${name}`,
      server,
      method,
      path,
      service: "s3",
      ...(body === undefined ? {} : { body }),
      ...(headers ? { headers } : {}),
    });
  for (const key of [
    "../keep/data/k",
    "%2e%2e/keep/data/k",
    "a/../../keep/data/k",
    "./../keep/data/k",
    "..",
  ]) {
    add(`PUT climbing key ${key}`, "PUT", `/scratch/${key}`, "overwritten?");
  }
  for (const body of [
    "not xml",
    XML_BOMB,
    "<Delete><__proto__>x</__proto__></Delete>",
    "<Delete><Object><Key>__proto__</Key></Object></Delete>",
    "<Delete>",
  ]) {
    add("DeleteObjects body", "POST", "/scratch?delete", body);
  }
  const headerSets: Record<string, string>[] = [
    { "x-amz-meta-__proto__": "x", "x-amz-meta-constructor": "y" },
    { "x-amz-meta-prototype": "x" },
    { "content-md5": "not base64" },
    { "x-amz-checksum-sha256": "%%%" },
    { "x-amz-copy-source": "../../etc/passwd" },
    { "x-amz-copy-source": "/keep/%ZZ" },
    { "x-amz-copy-source": "/__proto__/constructor" },
    { "x-amz-tagging": "__proto__=1&constructor=2" },
  ];
  for (const [i, headers] of headerSets.entries())
    add(`PUT headers #${i}`, "PUT", "/scratch/obj", "x", headers);
  for (const headers of <Record<string, string>[]>[
    { range: "bytes=garbage" },
    { range: "bytes=99999999999999999999-" },
    { "if-match": '"unterminated' },
    { "if-modified-since": "not a date" },
  ]) {
    add(`GET headers ${Object.keys(headers)[0]}`, "GET", "/keep/data/k", undefined, headers);
  }
  const paths = [
    ["PUT", "/bad..bucket"],
    ["PUT", "/__proto__"],
    ["PUT", "/constructor"],
    ["GET", "/?prefix=%ZZ"],
    ["GET", "/keep?list-type=2&max-keys=-1"],
    ["GET", "/keep?list-type=2&continuation-token=__proto__"],
    ["GET", "/keep?list-type=2&max-keys=1e300"],
    ["GET", "/keep/%ZZ"],
    ["DELETE", "/keep/%"],
    ["PUT", "/scratch/k?partNumber=99999&uploadId=nope"],
    ["POST", "/scratch/k?uploadId=__proto__"],
    ["GET", "/scratch?__proto__"],
    ["GET", "/scratch?constructor=1"],
    ["PUT", "/scratch?versioning"],
  ] as const;
  for (const [method, path] of paths) add(`${method} ${path}`, method, path);
  add(
    "Complete multipart bad XML",
    "POST",
    "/scratch/k?uploadId=none",
    "<CompleteMultipartUpload><Part><__proto__>1</__proto__></Part>",
  );
  add(
    "CreateBucket bad config",
    "PUT",
    "/scratch2",
    "<CreateBucketConfiguration><LocationConstraint>../..</LocationConstraint></CreateBucketConfiguration>",
  );
  return requests;
}

function cloudformation(): HostileRequest[] {
  const bodies = [
    ...["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"].map((a) => `Action=${a}`),
    "Action=CreateChangeSet",
    "Action=CreateChangeSet&StackName=s&ChangeSetName=c&TemplateBody=not%20json",
    `Action=CreateChangeSet&StackName=s&ChangeSetName=c&TemplateBody=${encodeURIComponent('{"Resources":{"__proto__":{"Type":"AWS::SQS::Queue"}}}')}`,
    `Action=CreateChangeSet&StackName=s&ChangeSetName=c&TemplateBody=${encodeURIComponent('{"Resources":{"Q":{"Type":"AWS::SQS::Queue","Properties":{"constructor":1}}}}')}`,
    `Action=CreateChangeSet&StackName=s&ChangeSetName=c&TemplateBody=${encodeURIComponent('{"Parameters":{"__proto__":{"Type":"String"}},"Resources":{}}')}`,
    "Action=CreateChangeSet&StackName=s&ChangeSetName=c&TemplateBody=%7B%7D&Parameters.member.1.ParameterKey=__proto__&Parameters.member.1.ParameterValue=x",
    "Action=CreateChangeSet&StackName=s&ChangeSetName=c&TemplateBody=%7B%7D&Tags.member.__proto__.Key=x",
    "Action=DescribeStacks&StackName=../../x",
    "Action=DeleteStack&StackName=%ZZ",
    "Action=DescribeStackEvents&StackName=__proto__",
    "Action=GetTemplate&StackName=constructor",
    "Action=ValidateTemplate&TemplateURL=file:///etc/passwd",
    "Action=ValidateTemplate&TemplateURL=http://127.0.0.1:1/../../x",
    "Action=ExecuteChangeSet&ChangeSetName=__proto__",
    "Action=DescribeStacks&__proto__.polluted=1",
  ];
  return bodies.map((body, i) => ({
    name: `CloudFormation #${i} ${body.slice(0, 40)}`,
    server: "cloud" as const,
    method: "POST",
    path: "/",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `${body}&Version=2010-05-15`,
    service: "cloudformation",
  }));
}

function logs(): HostileRequest[] {
  const bodies = [
    ...JSON_GARBAGE,
    '{"logGroupName":5}',
    '{"logGroupName":"../../x"}',
    '{"logGroupName":"g","logStreamName":"s","logEvents":"x"}',
    '{"logGroupName":"g","logStreamName":"s","logEvents":[null]}',
    '{"__proto__":{"polluted":1},"logGroupName":"g"}',
    '{"logGroupName":"g","retentionInDays":"x"}',
    '{"logGroupName":"__proto__","filterPattern":"{ $.__proto__ = 1 }"}',
  ];
  const actions = [
    "CreateLogGroup",
    "PutLogEvents",
    "FilterLogEvents",
    "GetLogEvents",
    "DescribeLogGroups",
    "PutRetentionPolicy",
    "__proto__",
  ];
  return actions.flatMap((action) =>
    bodies.map((body, i) => ({
      name: `Logs ${action} #${i}`,
      server: "cloud" as const,
      method: "POST",
      path: "/",
      headers: { "x-amz-target": `Logs_20140328.${action}`, "content-type": "application/x-amz-json-1.1" },
      body,
      service: "logs",
    })),
  );
}

function control(): HostileRequest[] {
  const calls: [string, string, string?][] = [
    ["POST", "/_sluice/invoke", "{}"],
    ["POST", "/_sluice/invoke", '{"function":5}'],
    ["POST", "/_sluice/invoke", "not json"],
    ["POST", "/_sluice/invoke", '{"function":"__proto__","payload":"{}"}'],
    ["POST", "/_sluice/invoke", '{"function":"echo","payload":5}'],
    ["POST", "/_sluice/send", '{"queue":"constructor","body":"x"}'],
    ["POST", "/_sluice/send", '{"queue":"work"}'],
    ["POST", "/_sluice/send", "[]"],
    ["POST", "/_sluice/redrive", "{}"],
    ["POST", "/_sluice/redrive", '{"queue":"__proto__"}'],
    ["POST", "/_sluice/time/advance", '{"ms":1e300}'],
    ["POST", "/_sluice/time/advance", '{"ms":"x"}'],
    ["POST", "/_sluice/time/advance", '{"ms":-1}'],
    ["POST", "/_sluice/time/advance", "null"],
    ["GET", "/_sluice/schedules?count=__proto__"],
    ["GET", "/_sluice/__proto__"],
    ["GET", "/_sluice/%ZZ"],
  ];
  return calls.map(([method, path, body], i) => ({
    name: `control #${i} ${method} ${path} ${body ?? ""}`,
    server: "dev" as const,
    method,
    path,
    ...(body === undefined ? {} : { body, headers: { "content-type": "application/json" } }),
    unsigned: true,
  }));
}

/** DynamoDB's JSON 1.0 protocol on `dev`'s endpoint: wrong types, hostile names in items and expressions. */
function dynamodb(): HostileRequest[] {
  const bodies = [
    ...JSON_GARBAGE,
    '{"TableName":5}',
    '{"TableName":"../../x","Key":{"pk":{"S":"a"}}}',
    '{"TableName":"__proto__","Item":{"pk":{"S":"a"}}}',
    '{"TableName":"t","Item":{"__proto__":{"S":"x"},"constructor":{"N":"1"}}}',
    '{"TableName":"t","Item":{"pk":{"__proto__":"x"}}}',
    '{"TableName":"t","Item":{"pk":{"N":"1e999999"}}}',
    '{"TableName":"t","Item":"x","Key":[]}',
    '{"__proto__":{"polluted":1},"TableName":"t"}',
    '{"TableName":"t","KeyConditionExpression":"#__proto__ = :constructor","ExpressionAttributeNames":{"#__proto__":"pk"},"ExpressionAttributeValues":{":constructor":{"S":"x"}}}',
    '{"TableName":"t","UpdateExpression":"SET constructor.prototype.polluted = :v","ExpressionAttributeValues":{":v":{"N":"1"}},"Key":{"pk":{"S":"a"}}}',
    '{"TableName":"t","FilterExpression":"((((((((((a","Limit":-1}',
    '{"TableName":"t","ExclusiveStartKey":{"__proto__":{"S":"x"}},"Limit":1e300}',
    '{"RequestItems":{"__proto__":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}}]}}',
    '{"TransactItems":[null,{"Put":5},{"__proto__":{}}]}',
    '{"Statement":"SELECT * FROM \\"__proto__\\" WHERE constructor = ?","Parameters":[{"__proto__":1}]}',
    '{"Statement":"UPDATE \\"t\\" SET a.__proto__.polluted = 1 WHERE pk = \'a\'"}',
    '{"TableName":"t","AttributeDefinitions":{"__proto__":1},"KeySchema":"x"}',
  ];
  const actions = [
    "CreateTable",
    "PutItem",
    "UpdateItem",
    "Query",
    "BatchWriteItem",
    "TransactWriteItems",
    "ExecuteStatement",
    "__proto__",
  ];
  return actions.flatMap((action) =>
    bodies.map((body, i) => ({
      name: `DynamoDB ${action} #${i}`,
      server: "dev" as const,
      method: "POST",
      path: "/",
      headers: {
        "x-amz-target": `DynamoDB_20120810.${action}`,
        "content-type": "application/x-amz-json-1.0",
      },
      body,
      service: "dynamodb",
    })),
  );
}

/** DynamoDB Streams' JSON protocol: iterators are opaque tokens the client may forge. */
function dynamodbStreams(): HostileRequest[] {
  const bodies = [
    ...JSON_GARBAGE,
    '{"ShardIterator":"__proto__"}',
    '{"ShardIterator":5,"Limit":1e300}',
    `{"ShardIterator":${JSON.stringify(Buffer.from('{"__proto__":{"polluted":1}}').toString("base64"))}}`,
    '{"StreamArn":"../../x","ShardId":"constructor","ShardIteratorType":"__proto__"}',
    '{"TableName":"__proto__","Limit":-1,"ExclusiveStartStreamArn":{}}',
  ];
  const actions = ["ListStreams", "DescribeStream", "GetShardIterator", "GetRecords", "__proto__"];
  return actions.flatMap((action) =>
    bodies.map((body, i) => ({
      name: `DynamoDB Streams ${action} #${i}`,
      server: "dev" as const,
      method: "POST",
      path: "/",
      headers: {
        "x-amz-target": `DynamoDBStreams_20120810.${action}`,
        "content-type": "application/x-amz-json-1.0",
      },
      body,
      service: "dynamodb",
    })),
  );
}

/** Step Functions' JSON 1.0 protocol: ARNs, tokens and inputs from the wire. */
function stepFunctions(): HostileRequest[] {
  const machine = "arn:aws:states:us-east-1:000000000000:stateMachine";
  const bodies = [
    ...JSON_GARBAGE,
    '{"stateMachineArn":5}',
    `{"stateMachineArn":"${machine}:__proto__","input":"{\\"__proto__\\":{\\"polluted\\":1}}"}`,
    `{"stateMachineArn":"${machine}:constructor","name":"../../x","input":"not json"}`,
    `{"executionArn":"arn:aws:states:us-east-1:000000000000:execution:__proto__:constructor"}`,
    '{"executionArn":"../../etc/passwd","maxResults":-1,"nextToken":"__proto__"}',
    '{"taskToken":{},"output":"{}"}',
    '{"taskToken":"__proto__","output":"{\\"constructor\\":{\\"prototype\\":{\\"polluted\\":1}}}"}',
    '{"taskToken":"x","error":5,"cause":[]}',
    '{"__proto__":{"polluted":1},"maxResults":1e300}',
    '{"statusFilter":"constructor","stateMachineArn":"x"}',
  ];
  const actions = [
    "StartExecution",
    "StopExecution",
    "ListExecutions",
    "GetExecutionHistory",
    "SendTaskSuccess",
    "SendTaskFailure",
    "__proto__",
  ];
  return actions.flatMap((action) =>
    bodies.map((body, i) => ({
      name: `Step Functions ${action} #${i}`,
      server: "dev" as const,
      method: "POST",
      path: "/",
      headers: { "x-amz-target": `AWSStepFunctions.${action}`, "content-type": "application/x-amz-json-1.0" },
      body,
      service: "states",
    })),
  );
}

/** Route 53's REST XML API, EC2's and ELBv2's query protocols on `sluice cloud`'s account endpoint. */
function accountApis(): HostileRequest[] {
  const route53: [string, string, string?][] = [
    ["GET", "/2013-04-01/healthcheck/__proto__/status"],
    ["GET", "/2013-04-01/healthcheck/constructor/status"],
    ["GET", "/2013-04-01/healthcheck/%ZZ/status"],
    ["GET", "/2013-04-01/healthcheck/..%2F..%2Fetc/status"],
    ["GET", `/2013-04-01/healthcheck/${"a".repeat(5000)}/status`],
    ["GET", "/2013-04-01/hostedzonesbyname?dnsname=__proto__&maxitems=1e300"],
    ["GET", "/2013-04-01/hostedzonesbyname?dnsname=%ZZ"],
    ["GET", "/2013-04-01/hostedzonesbyname?dnsname=..&maxitems=-1"],
    ["GET", "/2013-04-01/__proto__"],
    ["POST", "/2013-04-01/hostedzone", XML_BOMB],
    ["POST", "/2013-04-01/hostedzone/Z1/rrset", "<ChangeResourceRecordSetsRequest><__proto__>1</__proto__>"],
  ];
  const query = (service: string, version: string, params: readonly string[]) =>
    [
      "__proto__",
      "constructor",
      "toString",
      "DescribeVpcs",
      "DescribeSubnets",
      "DescribeTargetHealth",
    ].flatMap((action) =>
      params.map((p, i) => ({
        name: `${service} Action=${action} #${i}`,
        server: "cloud" as const,
        method: "POST",
        path: "/",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `Action=${action}&Version=${version}&${p}`,
        service,
      })),
    );
  const params = [
    "__proto__.polluted=1",
    "Filter.1.Name=__proto__&Filter.1.Value.1=constructor",
    "VpcId.1=../../x&SubnetId.__proto__=1",
    "TargetGroupArn=%ZZ&Targets.member.1.Id=constructor",
    "MaxResults=1e300&NextToken=__proto__",
  ];
  return [
    ...route53.map(([method, path, body], i) => ({
      name: `Route 53 #${i} ${method} ${path.slice(0, 60)}`,
      server: "cloud" as const,
      method,
      path,
      ...(body === undefined ? {} : { body }),
      service: "route53",
    })),
    ...query("ec2", "2016-11-15", params),
    ...query("elasticloadbalancing", "2015-12-01", params),
  ];
}

/** The control API's trace routes and console actions (issue 20), with the session's token. */
function traceControl(): HostileRequest[] {
  const calls: [string, string, string?][] = [
    ["GET", "/_sluice/traces?failed=maybe&limit=1e300"],
    ["GET", "/_sluice/traces?__proto__=1&constructor=2"],
    ["GET", "/_sluice/traces?since=-1&until=%ZZ"],
    ["GET", `/_sluice/traces?resource=${"a".repeat(5000)}`],
    ["GET", "/_sluice/traces?limit=1&limit=2"],
    ["GET", "/_sluice/trace?id=__proto__"],
    ["GET", "/_sluice/trace?id=../../etc/passwd"],
    ["GET", "/_sluice/trace"],
    ["GET", "/_sluice/counters?__proto__=1"],
    // Only answers that come at once: a valid cursor with nothing newer would wait 20 s.
    ["GET", "/_sluice/changes?after=-1"],
    ["GET", "/_sluice/changes?after=__proto__"],
    ["GET", "/_sluice/changes?after=1e300"],
    ["GET", "/_sluice/changes?after=99999999999999999999"],
    ["GET", "/_sluice/executions?__proto__=1&status=constructor"],
    ["GET", "/_sluice/execution?arn=../../x"],
    ["GET", "/_sluice/tables?region=../../etc"],
    ["GET", "/_sluice/failover"],
    ["POST", "/_sluice/failover/fail", '{"kind":"__proto__"}'],
    ["POST", "/_sluice/failover/heal", "[]"],
    ["POST", "/_sluice/purge", "{}"],
    ["POST", "/_sluice/purge", '{"queue":"__proto__"}'],
    ["POST", "/_sluice/purge", '{"queue":5}'],
    ["POST", "/_sluice/purge", "not json"],
    ["POST", "/_sluice/put-event", '{"source":5,"detailType":[],"detail":{}}'],
    ["POST", "/_sluice/put-event", '{"__proto__":{"polluted":1},"bus":"constructor"}'],
    [
      "POST",
      "/_sluice/put-event",
      '{"source":"a","detailType":"b","detail":"{\\"__proto__\\":{\\"polluted\\":1}}"}',
    ],
    ["POST", "/_sluice/replay", '{"traceId":"__proto__","hopId":"constructor"}'],
    [
      "POST",
      "/_sluice/replay",
      '{"traceId":"1-00000000-000000000000000000000000","hopId":"0000000000000000"}',
    ],
    ["POST", "/_sluice/replay", "null"],
    ["POST", "/_sluice/schedules/trigger", '{"schedule":"constructor"}'],
    ["POST", "/_sluice/schedules/trigger", '{"schedule":{}}'],
    ["DELETE", "/_sluice/traces"],
  ];
  return calls.map(([method, path, body], i) => ({
    name: `trace control #${i} ${method} ${path.slice(0, 60)} ${body ?? ""}`,
    server: "dev" as const,
    method,
    path,
    ...(body === undefined ? {} : { body, headers: { "content-type": "application/json" } }),
    unsigned: true,
  }));
}

/** The console page's routes: its token in the path, hostile file names after it, wrong tokens. */
function consoleRoutes(t: Targets): HostileRequest[] {
  const page = `/_sluice/console/${t.consoleToken}`;
  const calls: [string, string][] = [
    ["GET", `${page}/../../dev.json`],
    ["GET", `${page}/..%2F..%2Fdev.json`],
    ["GET", `${page}/%ZZ`],
    ["GET", `${page}/__proto__`],
    ["GET", `${page}/constructor`],
    ["GET", `${page}/console.js/../../../../etc/passwd`],
    ["GET", `${page}/graph.svg?__proto__=1`],
    ["GET", `${page}%2F..%2F..%2Fdev.json`],
    ["POST", `${page}/`],
    ["DELETE", `${page}/console.js`],
    ["HEAD", `${page}/${"a".repeat(5000)}`],
    ["GET", "/_sluice/console/__proto__/"],
    ["GET", "/_sluice/console/"],
    ["GET", "/_sluice/console/%ZZ/console.js"],
    ["GET", `/_sluice/console/${t.consoleToken.slice(0, -1)}/`],
  ];
  return calls.map(([method, path], i) => ({
    name: `console #${i} ${method} ${path.slice(0, 40)}`,
    server: "dev" as const,
    method,
    path,
    headers: { "sec-fetch-site": "none" },
    unsigned: true,
  }));
}

function apis(t: Targets): HostileRequest[] {
  const base = new URL(t.httpBase).pathname.replace(/\/$/, "");
  const requests: [string, string, Record<string, string>?][] = [
    ["GET", `${base}/echo/%ZZ`],
    ["GET", `${base}/echo/..%2F..%2F`],
    ["GET", `${base}/echo/../../etc/passwd`],
    ["GET", `${base}/echo`, { "x-proto": "1", constructor: "y" }],
    ["GET", `${base}/echo?__proto__=1&constructor=2&prototype=3`],
    ["GET", `${base}/echo?__proto__[polluted]=1`],
    ["GET", `${base}/echo`, { cookie: "__proto__=1; constructor=2" }],
    ["GET", `${base}/echo`, { "x-long": "a".repeat(9000) }],
    ["FOO", `${base}/echo`],
  ];
  const websocket: [string, string, Record<string, string>?][] = [
    ["GET", `${t.wsStage}/@connections/%ZZ`],
    ["POST", `${t.wsStage}/@connections/__proto__`],
    ["DELETE", `${t.wsStage}/@connections/constructor`],
    ["GET", `${t.wsStage}/@connections/${"a".repeat(3000)}`],
    [
      "GET",
      t.wsStage,
      {
        connection: "upgrade",
        upgrade: "websocket",
        "sec-websocket-key": "x",
        "sec-websocket-version": "99",
      },
    ],
    ["GET", `${t.wsStage}?__proto__=1`, { connection: "upgrade", upgrade: "websocket" }],
  ];
  // `sluice serve` runs the same routes on local/http's API server, with its own `/healthz` first.
  const served: [string, string, Record<string, string>?][] = [
    ...requests.map(([method, path, headers]): [string, string, Record<string, string>?] =>
      headers ? [method, path.slice(base.length), headers] : [method, path.slice(base.length)],
    ),
    ["GET", "/healthz/../echo"],
    ["GET", "/healthz?__proto__=1"],
    ["POST", "/healthz", { "content-type": "application/json" }],
    ["GET", "/%2e%2e/%2e%2e/etc/passwd"],
    ["GET", "/echo", { "x-forwarded-for": "__proto__, constructor, 999.1.1.1" }],
  ];
  const toRequest =
    (server: "api" | "ws" | "serve") =>
    ([method, path, headers]: [string, string, Record<string, string>?], i: number): HostileRequest => ({
      name: `${server} #${i} ${method} ${path.slice(0, 60)}`,
      server,
      method,
      path,
      ...(headers ? { headers } : {}),
      unsigned: true,
    });
  return [
    ...requests.map(toRequest("api")),
    ...websocket.map(toRequest("ws")),
    ...served.map(toRequest("serve")),
  ];
}

function foreignHosts(): HostileRequest[] {
  return (["dev", "cloud", "api", "ws", "serve"] as const).flatMap((server) =>
    ["evil.example", "rebind.test:80", "localhost.evil.example", "127.0.0.1.nip.io"].map((host) => ({
      name: `foreign Host ${host} on ${server}`,
      server,
      method: "POST",
      path: server === "dev" ? "/_sluice/time/advance" : "/",
      headers: { "content-type": "application/json" },
      body: '{"ms":1000}',
      host,
    })),
  );
}

/** Every hostile request, in a fixed order. */
export function hostileRequests(t: Targets): HostileRequest[] {
  return [
    ...sqsJson(t),
    ...sqsQuery(t),
    ...sts(),
    ...lambdaRest(),
    ...events(),
    ...s3("cloud"),
    ...s3("dev"),
    ...dynamodb(),
    ...dynamodbStreams(),
    ...stepFunctions(),
    ...cloudformation(),
    ...logs(),
    ...accountApis(),
    ...control(),
    ...traceControl(),
    ...consoleRoutes(t),
    ...apis(t),
    ...foreignHosts(),
  ];
}
