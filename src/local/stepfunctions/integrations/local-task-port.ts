/**
 * The TaskPort over a local cloud's surfaces: each Task state's Resource goes to the integration
 * that serves it, answering as Step Functions answers for it. Nested executions
 * (`states:startExecution`) are the engine's own; anything else unknown fails with States.Runtime.
 * https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html
 */
import type { TaskOutcome, TaskPort, TaskRequest } from "../task-port.ts";
import { dynamoDbTask, isDynamoDbAction } from "./dynamodb-task.ts";
import { putEventsTask } from "./events-task.ts";
import { itemReaderTask } from "./item-reader-task.ts";
import { invokeTask, legacyInvokeTask } from "./lambda-task.ts";
import { s3SdkTask } from "./s3-task.ts";
import { sendMessageTask } from "./sqs-task.ts";
import { runtimeFailure } from "./task-outcomes.ts";
import { taskTarget } from "./task-resource.ts";
import type { TaskServices } from "./task-services.ts";

export function localTaskPort(services: TaskServices): TaskPort {
  return {
    async run(request) {
      if (request.signal.aborted) throw request.signal.reason;
      const outcome = await dispatch(services, request);
      // The callback pattern: the message went out; the engine now waits for SendTask* on the token.
      if (outcome.kind === "succeeded" && request.pattern === "waitForTaskToken") return { kind: "waiting" };
      return outcome;
    },
  };
}

async function dispatch(services: TaskServices, request: TaskRequest): Promise<TaskOutcome> {
  const resource = taskTarget(request.resource);
  if (resource.kind === "function") {
    if (request.pattern !== "requestResponse") return unsupported(request);
    return legacyInvokeTask(services, request, resource.functionArn);
  }
  if (resource.kind === "integration") {
    const { service, action } = resource;
    if (
      service === "lambda" &&
      action === "invoke" &&
      patternIn(request, ["requestResponse", "waitForTaskToken"])
    ) {
      return invokeTask(services, request);
    }
    if (
      service === "sqs" &&
      action === "sendMessage" &&
      patternIn(request, ["requestResponse", "waitForTaskToken"])
    ) {
      return sendMessageTask(services, request);
    }
    if (
      service === "events" &&
      action === "putEvents" &&
      patternIn(request, ["requestResponse", "waitForTaskToken"])
    ) {
      return putEventsTask(services, request);
    }
    if (service === "dynamodb" && isDynamoDbAction(action) && patternIn(request, ["requestResponse"])) {
      return dynamoDbTask(services, request, action);
    }
    if (service === "s3" && (action === "getObject" || action === "listObjectsV2")) {
      return itemReaderTask(services, request, action);
    }
  }
  if (resource.kind === "sdk" && resource.service === "s3" && patternIn(request, ["requestResponse"])) {
    if (resource.action === "getObject" || resource.action === "putObject") {
      return s3SdkTask(services, request, resource.action);
    }
  }
  return unsupported(request);
}

function patternIn(request: TaskRequest, patterns: readonly TaskRequest["pattern"][]): boolean {
  return patterns.includes(request.pattern);
}

function unsupported(request: TaskRequest): TaskOutcome {
  return runtimeFailure(
    `The resource '${request.resource}' of state '${request.stateName}' is not an integration Sluice runs locally ` +
      "(lambda:invoke[.waitForTaskToken], a function ARN, sqs:sendMessage[.waitForTaskToken], " +
      "events:putEvents[.waitForTaskToken], dynamodb:getItem/putItem/updateItem/deleteItem, " +
      "aws-sdk:s3:getObject/putObject, states:startExecution[.sync|.sync:2|.waitForTaskToken])",
  );
}
