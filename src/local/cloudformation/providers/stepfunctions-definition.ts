/**
 * The definition of an AWS::StepFunctions::StateMachine, as CloudFormation's handler reads it:
 * from exactly one of Definition, DefinitionString and DefinitionS3Location, with
 * DefinitionSubstitutions replaced (`${key}`), then parsed and checked with asl-validator as
 * CreateStateMachine checks it. The handler's checks and messages:
 * aws-cloudformation/aws-cloudformation-resource-providers-stepfunctions
 * (statemachine/…/DefinitionProcessor.java, Constants.java).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
 */
import { randomUUID } from "node:crypto";
import aslValidator from "asl-validator";
import { LIMITS } from "../../../model/limits.ts";
import { S3Error } from "../../s3/index.ts";
import { ResourceFailure } from "../resource-provider.ts";
import { objectProp, type Properties, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const MACHINES = LIMITS.stepFunctions;

/** What CreateStateMachine refuses, as CloudFormation's handler reports it. */
export function refused(code: string, message: string): never {
  throw new ResourceFailure(
    `${message} (Service: AWSStepFunctions; Status Code: 400; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}

/** The definition to run (substitutions applied, JSON text), checked as CreateStateMachine checks it. */
export function checkedDefinition(properties: Properties, env: ProviderEnv): string {
  const text = definitionText(properties, env);
  if (Buffer.byteLength(text) > MACHINES.definitionSize.max) {
    throw new ResourceFailure("State Machine definition file cannot exceed 1MB.");
  }
  parsedDefinition(text);
  return text;
}

/** DefinitionProcessor.validateDefinitionCount: exactly one source of the definition. */
function definitionText(properties: Properties, env: ProviderEnv): string {
  const sources = ["Definition", "DefinitionString", "DefinitionS3Location"].filter(
    (key) => properties[key] !== undefined,
  );
  if (sources.length === 0) {
    throw new ResourceFailure(
      "Property validation failed. Required key [DefinitionS3Location], [Definition] or [DefinitionString] not found.",
    );
  }
  if (sources.length > 1) {
    throw new ResourceFailure(
      "Property validation failed. Please use either [DefinitionS3Location], [Definition] or [DefinitionString] but not both.",
    );
  }
  const substitutions = substitutionsOf(properties);
  const object = objectProp(properties, "Definition");
  if (object) return substitute(JSON.stringify(object), substitutions, true);
  const text = stringProp(properties, "DefinitionString");
  if (text !== undefined) return substitute(text, substitutions, false);
  return substitute(s3Definition(properties, env), substitutions, false);
}

function s3Definition(properties: Properties, env: ProviderEnv): string {
  const location = objectProp(properties, "DefinitionS3Location") ?? {};
  const bucket = stringProp(location, "Bucket");
  const key = stringProp(location, "Key");
  if (bucket === undefined || key === undefined) {
    throw new ResourceFailure(
      `Properties validation failed for resource with message: #/DefinitionS3Location: required key [${bucket === undefined ? "Bucket" : "Key"}] not found`,
    );
  }
  // An empty Version reads the latest, as the handler's `!getVersion().isEmpty()` check does.
  const version = stringProp(location, "Version") || undefined;
  let body: Uint8Array;
  try {
    body = env.s3.getObject(bucket, key, version).body;
  } catch (error) {
    if (error instanceof S3Error) {
      throw new ResourceFailure(
        `Error occurred while GetObject. S3 Error Code: ${error.code}. S3 Error Message: ${error.message}`,
      );
    }
    throw error;
  }
  if (body.byteLength > MACHINES.definitionSize.max) {
    throw new ResourceFailure("State Machine definition file cannot exceed 1MB.");
  }
  return Buffer.from(body).toString("utf8");
}

function substitutionsOf(properties: Properties): Map<string, string> {
  const map = objectProp(properties, "DefinitionSubstitutions") ?? {};
  const substitutions = new Map<string, string>();
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new ResourceFailure(
        `Properties validation failed for resource with message: #/DefinitionSubstitutions/${key}: expected type: String, found: ${Array.isArray(value) ? "JSONArray" : "JSONObject"}`,
      );
    }
    substitutions.set(key, String(value));
  }
  return substitutions;
}

/**
 * `${key}` → its value, repeatedly (StringUtils.replaceEachRepeatedly, as the handler does). In a
 * `Definition` object the text is JSON, so a value is written JSON-escaped inside its string.
 */
function substitute(text: string, substitutions: ReadonlyMap<string, string>, json: boolean): string {
  if (substitutions.size === 0) return text;
  let result = text;
  for (let pass = 0; pass < 10; pass++) {
    let changed = false;
    for (const [key, value] of substitutions) {
      const placeholder = `\${${key}}`;
      if (!result.includes(placeholder)) continue;
      result = result.split(placeholder).join(json ? JSON.stringify(value).slice(1, -1) : value);
      changed = true;
    }
    if (!changed) break;
  }
  return result;
}

/** The document: JSON (DefinitionString, an S3 object) that names its first state and its states. */
function parsedDefinition(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    refused(
      "InvalidDefinition",
      "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: Invalid JSON'",
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    refused("InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: at /'");
  }
  const document = parsed as Record<string, unknown>;
  const states = document.States;
  if (typeof states !== "object" || states === null || Array.isArray(states)) {
    refused(
      "InvalidDefinition",
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'",
    );
  }
  const startAt = document.StartAt;
  if (typeof startAt !== "string") {
    refused(
      "InvalidDefinition",
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /'",
    );
  }
  if (!Object.hasOwn(states, startAt)) {
    refused(
      "InvalidDefinition",
      `Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: ${startAt} at /StartAt'`,
    );
  }
  // The States Language itself, as the definition's loader checks it (bundle/state-machine-files.ts);
  // a copy, as asl-validator annotates the states it reads.
  const { errors } = aslValidator(structuredClone(document), { checkPaths: true, checkArn: true });
  if (errors.length > 0) {
    const found = errors.map(
      (e) =>
        `${e["Error code"]}: ${e.Message}${e.schemaError?.instancePath ? ` at ${e.schemaError.instancePath}` : ""}`,
    );
    refused("InvalidDefinition", `Invalid State Machine Definition: '${found.join(", ")}'`);
  }
  return document;
}
