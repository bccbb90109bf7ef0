/**
 * How a service's answer becomes a TaskOutcome: results with the metadata Step Functions' optimized
 * integrations add, and service errors under the names Retry and Catch match on.
 */
import { randomUUID } from "node:crypto";
import { STATES_ERRORS } from "../language/states-error.ts";
import type { TaskOutcome } from "../task-port.ts";

export function succeeded(output: unknown): TaskOutcome {
  return { kind: "succeeded", output };
}

export function failed(error: string, cause: string): TaskOutcome {
  return { kind: "failed", error, cause };
}

/** A resource or parameter the integration cannot run: the task fails with States.Runtime. */
export function runtimeFailure(cause: string): TaskOutcome {
  return failed(STATES_ERRORS.runtime, cause);
}

/**
 * The HTTP metadata the optimized integrations (Lambda, SQS, DynamoDB) put beside the API's
 * response, as the AWS SDK for Java reports it: `SdkHttpMetadata` and `SdkResponseMetadata`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html (example output)
 */
export function sdkMetadata(statusCode: number, requestId: string = randomUUID()): Record<string, unknown> {
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: { "x-amzn-RequestId": [requestId] },
      HttpHeaders: { "x-amzn-RequestId": requestId },
      HttpStatusCode: statusCode,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/** An error a local surface threw, as AwsError carries it. */
export interface ServiceFault {
  readonly code: string;
  readonly message: string;
  readonly statusCode: number;
}

export function serviceFault(error: unknown): ServiceFault | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message, statusCode } = error as { code?: unknown; message?: unknown; statusCode?: unknown };
  if (typeof code !== "string" || typeof statusCode !== "number") return undefined;
  return { code, message: typeof message === "string" ? message : code, statusCode };
}

/**
 * The cause text of a service error, shaped as Step Functions reports one:
 * `<message> (Service: <service>, Status Code: <status>, Error Code: <code>)`.
 */
export function faultCause(service: string, fault: ServiceFault): string {
  return `${fault.message} (Service: ${service}, Status Code: ${fault.statusCode}, Error Code: ${fault.code})`;
}

/**
 * `<Service>.<Error>Exception`: AWS SDK integrations name errors by the service and the error,
 * both PascalCase, adding the `Exception` suffix where the service's own name lacks it
 * (S3's NoSuchKey is `S3.NoSuchKeyException`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
export function sdkErrorName(service: string, code: string): string {
  return `${service}.${code.endsWith("Exception") ? code : `${code}Exception`}`;
}

/** A service call that threw: the named failure, or the error again when it is a bug (no AWS code). */
export function faultOutcome(error: unknown, service: string, name: (code: string) => string): TaskOutcome {
  const fault = serviceFault(error);
  if (fault === undefined) throw error;
  return failed(name(fault.code), faultCause(service, fault));
}

/** Settles with `work`, or rejects with the signal's reason once it aborts (the engine stopped waiting). */
export function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A JSON object's own field, or undefined (parameters come from the user's document). */
export function field(parameters: unknown, name: string): unknown {
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) return undefined;
  return Object.hasOwn(parameters, name) ? (parameters as Record<string, unknown>)[name] : undefined;
}

/** A required string parameter, or the cause of the failure when it is missing. */
export function stringField(parameters: unknown, name: string): string | { readonly missing: string } {
  const value = field(parameters, name);
  if (typeof value === "string" && value !== "") return value;
  return {
    missing: `The field '${name}' is required and must be a non-empty string; got ${JSON.stringify(value) ?? "nothing"}`,
  };
}

/** A body parameter: text as written, any other JSON value serialised (Step Functions does the same for MessageBody, Detail, Body). */
export function textOf(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}
