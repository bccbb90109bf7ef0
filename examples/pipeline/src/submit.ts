import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { resources } from "sluice/runtime";
import type { CrawlRequest } from "./page.ts";

// Plain AWS SDK code: locally AWS_ENDPOINT_URL points it at Sluice's endpoint, on AWS at SQS.
const sqs = new SQSClient({});

/** `POST /crawls` with a crawl request: queues it on `pages` for `ingest`, answers 202. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const request = parse(event.body, event.isBase64Encoded);
  if (!request) {
    return { statusCode: 400, body: JSON.stringify({ message: 'expected {"site": "...", "paths": ["/"]}' }) };
  }
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl: resources.queueUrl("pages"), MessageBody: JSON.stringify(request) }),
  );
  return {
    statusCode: 202,
    body: JSON.stringify({ messageId: sent.MessageId, pages: request.paths.length }),
  };
}

function parse(body: string | undefined, base64: boolean): CrawlRequest | undefined {
  try {
    const value = JSON.parse(
      base64 ? Buffer.from(body ?? "", "base64").toString("utf8") : (body ?? ""),
    ) as unknown;
    const request = value as Partial<CrawlRequest>;
    const valid =
      typeof request.site === "string" &&
      Array.isArray(request.paths) &&
      request.paths.every((p) => typeof p === "string");
    return valid ? (value as CrawlRequest) : undefined;
  } catch {
    return undefined;
  }
}
