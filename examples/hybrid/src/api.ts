import { randomUUID } from "node:crypto";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { resources } from "sluice/runtime";
import { type Job, type JobResponse, parseJobRequest } from "./jobs.ts";
import { servedBy } from "./served-by.ts";

// Plain AWS SDK code, the same on Lambda and on the fleet: locally AWS_ENDPOINT_URL points it at
// Sluice's endpoint; on an instance the SDK's credential chain finds the instance role.
const ddb = new DynamoDBClient({});

/**
 * `GET /hello`: who served the request. `POST /jobs` with `{"text": …}`: 202 and the job, which
 * the definition's routing function sends to the `jobs` queue. `GET /jobs/{id}`: the job's result
 * once `worker` stored it, else 404. `GET /health` never reaches this handler: Sluice answers it.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<JobResponse> {
  const by = servedBy();
  switch (event.routeKey) {
    case "GET /hello":
      return json(200, { message: `hello from ${by}`, servedBy: by });
    case "POST /jobs": {
      const request = parseJobRequest(event.body, event.isBase64Encoded);
      if (typeof request === "string") return json(400, { message: request, servedBy: by });
      const job: Job = { id: randomUUID(), text: request.text, acceptedBy: by };
      return json(202, job);
    }
    case "GET /jobs/{id}": {
      const id = event.pathParameters?.id ?? "";
      const got = await ddb.send(
        new GetItemCommand({ TableName: resources.tableName("results"), Key: { id: { S: id } } }),
      );
      if (!got.Item) return json(404, { message: `no result for job ${id} yet`, servedBy: by });
      return json(200, {
        id,
        result: got.Item.result?.S,
        acceptedBy: got.Item.acceptedBy?.S,
        processedBy: got.Item.processedBy?.S,
        servedBy: by,
      });
    }
    default:
      return json(404, { message: `no route ${event.routeKey}`, servedBy: by });
  }
}

function json(statusCode: number, body: unknown): JobResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", "x-served-by": servedBy() },
    body: JSON.stringify(body),
  };
}
