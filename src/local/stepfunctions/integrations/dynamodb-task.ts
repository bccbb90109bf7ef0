/**
 * DynamoDB as a Task: `arn:…:states:::dynamodb:getItem|putItem|updateItem|deleteItem`. The
 * parameters are the API's request (TableName, Key, Item, expressions, ReturnValues…); the result is
 * the API's response with the SDK's metadata. An error fails the task as `DynamoDB.<Code>`
 * (`DynamoDB.ConditionalCheckFailedException`, `DynamoDB.ResourceNotFoundException`); a request
 * DynamoDB refuses as invalid is `DynamoDB.AmazonDynamoDBException`, the SDK's name for an error it
 * has no class for.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 */
import type { TaskOutcome, TaskRequest } from "../task-port.ts";
import { faultOutcome, runtimeFailure, sdkMetadata, succeeded } from "./task-outcomes.ts";
import type { TaskServices } from "./task-services.ts";

/** The optimized integration's actions and the API operation each calls. */
const ACTIONS: Readonly<Record<string, string>> = {
  getItem: "GetItem",
  putItem: "PutItem",
  updateItem: "UpdateItem",
  deleteItem: "DeleteItem",
};

export function isDynamoDbAction(action: string): boolean {
  return Object.hasOwn(ACTIONS, action);
}

export function dynamoDbTask(services: TaskServices, request: TaskRequest, action: string): TaskOutcome {
  const operation = ACTIONS[action];
  if (operation === undefined)
    return runtimeFailure(`dynamodb:${action} is not an integration Step Functions offers`);
  const input = request.parameters;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return runtimeFailure(`dynamodb:${action} needs its request as an object (TableName, Key, …)`);
  }
  try {
    const response = services.dynamodb.execute(operation, input as Readonly<Record<string, unknown>>);
    // The engine's maps are null-prototype (wire data); the state's data is plain JSON.
    return succeeded({ ...(JSON.parse(JSON.stringify(response)) as object), ...sdkMetadata(200) });
  } catch (error) {
    return faultOutcome(error, "AmazonDynamoDBv2", (code) =>
      code === "ValidationException" || code === "SerializationException"
        ? "DynamoDB.AmazonDynamoDBException"
        : `DynamoDB.${code}`,
    );
  }
}
