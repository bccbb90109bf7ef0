/**
 * What a served function's environment adds to Lambda's reserved variables and its own (which
 * local/lambda sets, as it does for dev): where its AWS calls go and as whom, and the discovery
 * variables of what it is linked to, as the template sets them on Lambda.
 *
 * Credentials: on Lambda the runtime puts the execution role's keys in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * A server's functions act as the server: a function's environment does not inherit the host's,
 * so the variables the SDK's default credential chain reads are passed on — static keys, a
 * profile and its files, a container's credential endpoint (Fargate's task role:
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html), web
 * identity. On EC2 none is set and the SDK in each function asks the instance's metadata service
 * for the instance role, as the server does. These values are secrets: never logged.
 */
import type { AppSpec, FunctionSpec } from "../model/app-spec.ts";
import { resourceVariables } from "../model/resource-variables.ts";

/** The host variables the SDK's credential chain (and its shared files) read. */
export const CREDENTIAL_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  "AWS_EC2_METADATA_DISABLED",
  // The shared config and credentials files default to ~/.aws.
  "HOME",
] as const;

/** The credential chain's variables set in `env` (the server's process environment). */
export function credentialVariables(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of CREDENTIAL_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== "") passed[name] = value;
  }
  return passed;
}

export interface EnvironmentInputs {
  readonly spec: AppSpec;
  /** The credential chain's variables of the host (credentialVariables). */
  readonly credentials: Readonly<Record<string, string>>;
  /** A local cloud's endpoint: AWS_ENDPOINT_URL, which the SDK in every function honours. */
  readonly endpointUrl?: string;
  /** Each queue's URL by definition name, where the server found it (queue-urls.ts). */
  readonly queueUrls: ReadonlyMap<string, string>;
  /** ServeOptions.environment: what the caller adds for every function. */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * The variables `fn` gets besides Lambda's and its own: credentials, the endpoint, the caller's
 * extras, discovery. local/lambda lets the function's own variables win over these, and Lambda's
 * reserved ones win over both (local/lambda/environment-variables.ts).
 */
export function functionEnvironment(fn: FunctionSpec, inputs: EnvironmentInputs): Record<string, string> {
  const discovery = resourceVariables(inputs.spec, fn, (queue) => inputs.queueUrls.get(queue.name) ?? "");
  // A queue whose URL the server could not find gets no variable: a route there fails loudly.
  for (const [name, value] of Object.entries(discovery)) if (value === "") delete discovery[name];
  return {
    ...inputs.credentials,
    ...(inputs.endpointUrl === undefined ? {} : { AWS_ENDPOINT_URL: inputs.endpointUrl }),
    ...inputs.extra,
    ...discovery,
  };
}

/** The keys in `variables` (ServeOptions.environment), for the server's own clients; undefined without both. */
export function staticCredentials(
  variables: Readonly<Record<string, string>> | undefined,
): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined {
  const accessKeyId = variables?.AWS_ACCESS_KEY_ID;
  const secretAccessKey = variables?.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = variables.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
