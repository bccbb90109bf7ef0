/**
 * AWS::Lambda::Function: reads the code from the local S3 (or inline ZipFile), unpacks it as
 * Lambda keeps a copy, and checks the configuration with Lambda's ranges and messages. The
 * region's cloud runs the function once the stack settles. Ref is the name; Arn as Lambda's.
 */
import { randomUUID } from "node:crypto";
import { LIMITS, RUNTIMES, type RuntimeRow } from "../../../model/limits.ts";
import { S3Error } from "../../s3/index.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { type UnpackedCode, unpackCode, writeInlineCode } from "./function-code.ts";
import {
  arnPrefix,
  constraintFailure,
  generatedName,
  numberProp,
  objectProp,
  type Properties,
  randomChars,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

/** Where a function's unpacked code is, for the region's cloud (not an AWS attribute). */
export const CODE_DIRECTORY_ATTRIBUTE = "Sluice::CodeDirectory";

/** The runtimes the local cloud runs (worker threads of this Node.js). */
const LOCAL_RUNTIMES: readonly string[] = LIMITS.lambda.runtime.values;

const ROLE_ARN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

function range(
  properties: Properties,
  key: string,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const value = numberProp(properties, key, () =>
    constraintFailure(properties[key], field, "Member must be a number"),
  );
  if (value === undefined) return undefined;
  if (value < min) constraintFailure(value, field, `Member must have value greater than or equal to ${min}`);
  if (value > max) constraintFailure(value, field, `Member must have value less than or equal to ${max}`);
  return value;
}

/**
 * Lambda's answer to CreateFunction (or an update) naming a runtime past its block date
 * (RUNTIMES: blockCreate, blockUpdate): InvalidParameterValueException, HTTP 400, with this message.
 * AWS documents the blocks (docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html) but
 * not the text; the text is what Lambda has answered for each runtime it retired (nodejs,
 * nodejs4.3, nodejs8.10, nodejs10.x, nodejs12.x, python2.7, python3.6), as reported in e.g.
 * github.com/aws-samples/lambda-ecs-worker-pattern/issues/9 and
 * github.com/voicefoundry-cloud-public/amazon-connect-chat-translate-demo/issues/10; CloudFormation
 * gives it with "(Service: Lambda, Status Code: 400, Request ID: …)", as invalidParameter in
 * lambda-config.ts does.
 */
function blockedRuntime(runtime: string, operation: "create" | "update", nowMs: number): void {
  const row = (RUNTIMES as Readonly<Record<string, RuntimeRow | undefined>>)[runtime];
  const date: string | undefined = operation === "create" ? row?.blockCreate : row?.blockUpdate;
  if (date === undefined || nowMs < Date.parse(`${date}T00:00:00Z`)) return;
  throw new ResourceFailure(
    `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. ` +
      `We recommend you use the new runtime (${LIMITS.lambda.runtime.default}) while creating or updating functions. ` +
      `(Service: Lambda, Status Code: 400, Request ID: ${randomUUID()})`,
  );
}

function checkFunction(
  properties: Properties,
  operation: "create" | "update",
  context: ResourceContext,
): void {
  if (stringProp(properties, "PackageType") === "Image") {
    throw new ResourceFailure(
      "The local cloud runs .zip functions only; PackageType Image is not supported.",
    );
  }
  const runtime = stringProp(properties, "Runtime");
  if (runtime === undefined) {
    throw new ResourceFailure(
      "The Runtime parameter is required for a function with a .zip deployment package.",
    );
  }
  blockedRuntime(runtime, operation, context.clock.now());
  if (!LOCAL_RUNTIMES.includes(runtime)) {
    throw new ResourceFailure(
      `The runtime parameter of ${runtime} is not supported by the local cloud, which runs ${LOCAL_RUNTIMES.join(", ")}.`,
    );
  }
  const handler = stringProp(properties, "Handler");
  if (handler === undefined) constraintFailure(null, "handler", "Member must not be null");
  if (handler.length > 128 || !/^[^\s]+$/.test(handler)) {
    constraintFailure(handler, "handler", "Member must satisfy regular expression pattern: [^\\s]+");
  }
  const role = stringProp(properties, "Role");
  if (role === undefined) constraintFailure(null, "role", "Member must not be null");
  if (!ROLE_ARN.test(role)) {
    constraintFailure(
      role,
      "role",
      "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
    );
  }
  const { memorySize, timeout, reservedConcurrency } = LIMITS.lambda;
  range(properties, "MemorySize", "memorySize", memorySize.min, memorySize.max);
  range(properties, "Timeout", "timeout", timeout.min, timeout.max);
  range(
    properties,
    "ReservedConcurrentExecutions",
    "reservedConcurrentExecutions",
    0,
    reservedConcurrency.max,
  );
  checkEnvironment(objectProp(objectProp(properties, "Environment") ?? {}, "Variables") ?? {});
}

function checkEnvironment(variables: Properties): void {
  const reserved = Object.keys(variables).filter((key) =>
    (LIMITS.lambda.reservedEnvironmentKeys.values as readonly string[]).includes(key),
  );
  if (reserved.length > 0) {
    throw new ResourceFailure(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  for (const key of Object.keys(variables)) {
    if (!LIMITS.lambda.environmentKey.pattern.test(key)) {
      constraintFailure(
        key,
        "environment.variables",
        "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+",
      );
    }
  }
  const size = Buffer.byteLength(JSON.stringify(variables));
  if (size > LIMITS.lambda.environmentSize.max) {
    throw new ResourceFailure(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(variables)}`,
    );
  }
}

function functionName(properties: Properties, context: ResourceContext, env: ProviderEnv): string {
  const name =
    stringProp(properties, "FunctionName") ??
    generatedName(context, { maxLength: LIMITS.lambda.functionName.max, random: env.random ?? randomChars });
  if (name.length > LIMITS.lambda.functionName.max) {
    constraintFailure(
      name,
      "functionName",
      `Member must have length less than or equal to ${LIMITS.lambda.functionName.max}`,
    );
  }
  if (!LIMITS.lambda.functionName.pattern.test(name)) {
    constraintFailure(
      name,
      "functionName",
      "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
    );
  }
  return name;
}

/** Reads and unpacks the function's code as CreateFunction does, failing with Lambda's messages. */
function loadCode(properties: Properties, env: ProviderEnv): UnpackedCode {
  const code = objectProp(properties, "Code");
  if (!code) constraintFailure(null, "code", "Member must not be null");
  const inline = stringProp(code, "ZipFile");
  if (inline !== undefined) return writeInlineCode(inline, env.codeDir);
  const bucket = stringProp(code, "S3Bucket");
  const key = stringProp(code, "S3Key");
  if (bucket === undefined || key === undefined) {
    throw new ResourceFailure(
      "Please provide a source for function code (Code.S3Bucket and Code.S3Key, or Code.ZipFile).",
    );
  }
  let body: Uint8Array;
  try {
    body = env.s3.getObject(bucket, key).body;
  } catch (error) {
    if (error instanceof S3Error) {
      throw new ResourceFailure(
        `Error occurred while GetObject. S3 Error Code: ${error.code}. S3 Error Message: ${error.message}`,
      );
    }
    throw error;
  }
  return unpackCode(body, env.codeDir);
}

export function functionProvider(env: ProviderEnv) {
  const provision = (name: string, code: UnpackedCode, context: ResourceContext) => ({
    physicalId: name,
    attributes: {
      Arn: `${arnPrefix(context, "lambda")}:function:${name}`,
      [CODE_DIRECTORY_ATTRIBUTE]: code.dir,
    },
  });
  return defineProvider("AWS::Lambda::Function", {
    create(properties, context) {
      const name = functionName(properties, context, env);
      checkFunction(properties, "create", context);
      return provision(name, loadCode(properties, env), context);
    },
    update(current, properties, context) {
      checkFunction(properties, "update", context);
      return provision(current.physicalId, loadCode(properties, env), context);
    },
  });
}
