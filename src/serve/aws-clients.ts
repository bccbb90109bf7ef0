/**
 * The AWS SDK clients a server uses, made once per server with its region and endpoint (a local
 * cloud's `--endpoint-url`, else AWS's own) and the SDK's default credential chain: environment,
 * shared files, the container's or the instance's role
 * (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html). The Lambda,
 * EventBridge and Step Functions clients load on first use: only routes to what the server does
 * not run need them.
 */
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { AwsRouteClients } from "../runtime/index.ts";

export interface ServeClients {
  readonly sqs: SQSClient;
  /** A queue's URL by its physical name (SQS GetQueueUrl). */
  queueUrl(queueName: string): Promise<string>;
  /** A stack's outputs, by output key (CloudFormation DescribeStacks). */
  stackOutputs(stackName: string): Promise<Record<string, string>>;
  /** What runtime's AWS transport sends routes with: SendMessage, Invoke (Event), PutEvents, StartExecution. */
  readonly routes: AwsRouteClients;
  destroy(): void;
}

/** Keys the caller gave (a local cloud's, in ServeOptions.environment), else the default chain's. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export function serveClients(
  region: string,
  endpointUrl: string | undefined,
  credentials?: StaticCredentials,
): ServeClients {
  const config = {
    region,
    ...(endpointUrl === undefined ? {} : { endpoint: endpointUrl }),
    ...(credentials === undefined ? {} : { credentials }),
  };
  const sqs = new SQSClient(config);
  const cloudformation = new CloudFormationClient(config);
  const lazy: { destroy(): void }[] = [];
  const loaded = <T extends { destroy(): void }>(make: () => Promise<T>): (() => Promise<T>) => {
    let client: Promise<T> | undefined;
    return () => {
      client ??= make().then((made) => {
        lazy.push(made);
        return made;
      });
      return client;
    };
  };
  const lambda = loaded(async () => new (await import("@aws-sdk/client-lambda")).LambdaClient(config));
  const events = loaded(
    async () => new (await import("@aws-sdk/client-eventbridge")).EventBridgeClient(config),
  );
  const sfn = loaded(async () => new (await import("@aws-sdk/client-sfn")).SFNClient(config));
  return {
    sqs,
    async queueUrl(queueName) {
      const answer = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
      if (answer.QueueUrl === undefined) throw new Error(`SQS GetQueueUrl returned no URL for ${queueName}`);
      return answer.QueueUrl;
    },
    async stackOutputs(stackName) {
      const answer = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
      const outputs: Record<string, string> = Object.create(null);
      for (const output of answer.Stacks?.[0]?.Outputs ?? []) {
        if (output.OutputKey !== undefined && output.OutputValue !== undefined)
          outputs[output.OutputKey] = output.OutputValue;
      }
      return outputs;
    },
    routes: {
      sendMessage: (input) => sqs.send(new SendMessageCommand(input)),
      invokeAsync: async (functionName, payload) => {
        const { InvokeCommand } = await import("@aws-sdk/client-lambda");
        return (await lambda()).send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: "Event",
            Payload: new TextEncoder().encode(payload),
          }),
        );
      },
      putEvent: async (entry) => {
        const { PutEventsCommand } = await import("@aws-sdk/client-eventbridge");
        return (await events()).send(new PutEventsCommand({ Entries: [entry] }));
      },
      startExecution: async (input) => {
        const { StartExecutionCommand } = await import("@aws-sdk/client-sfn");
        return (await sfn()).send(new StartExecutionCommand(input));
      },
    },
    destroy() {
      sqs.destroy();
      cloudformation.destroy();
      for (const client of lazy) client.destroy();
    },
  };
}
