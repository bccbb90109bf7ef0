/**
 * The parameter values a deploy passes: the artifact bucket, each function's code key, each
 * health check's NoEcho secret (generated on the first deploy, kept with UsePreviousValue after,
 * replaced only when the user gives one), and the force-fail switch (kept once the stack has it).
 * Values are never returned to anything that prints.
 */

import { randomBytes } from "node:crypto";
import type { Parameter } from "@aws-sdk/client-cloudformation";
import type { AppSpec } from "../../model/app-spec.ts";
import { ARTIFACT_BUCKET_PARAMETER, logicalId } from "../template/logical-ids.ts";
import type { Template } from "../template/template.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";

export interface ParameterInput {
  readonly spec: AppSpec;
  readonly template: Template;
  readonly bucket: string;
  /** Definition name of each function → S3 key of its zip. */
  readonly codeKeys: Readonly<Record<string, string>>;
  /** Parameter names the existing stack has; empty for a new stack. */
  readonly existing: ReadonlySet<string>;
  /** The health checkers' secret to set; without it, the stack's current one is kept. */
  readonly healthCheckerId?: string;
  /** @default 32 random bytes, base64url */
  readonly generateSecret?: () => string;
  /** Values deploy looked up in the account (lookups.ts): the hosted zone, replicas' streams. */
  readonly lookups?: Readonly<Record<string, string>>;
}

export const HEALTH_CHECKER_ID_ENV = "SLUICE_HEALTH_CHECKER_ID";

/**
 * What a health checkers' secret may hold when Route 53 sends it: the global stack writes it into
 * a health check's ResourcePath query (`?healthCheckerId=${secret}`) with Fn::Sub, which cannot
 * percent-encode, so only URL-unreserved characters (RFC 3986 section 2.3) reach the function as
 * sent. Generated secrets (base64url) are such.
 */
export const ROUTE53_SAFE_SECRET = /^[A-Za-z0-9._~-]+$/;

export function deployParameters(input: ParameterInput): Parameter[] {
  const generate = input.generateSecret ?? (() => randomBytes(32).toString("base64url"));
  const values = new Map<string, string>([
    [ARTIFACT_BUCKET_PARAMETER, input.bucket],
    ...Object.entries(input.lookups ?? {}),
  ]);
  const secrets = new Set<string>();
  const keepable = new Set<string>();
  for (const fn of Object.values(input.spec.functions)) {
    const key = input.codeKeys[fn.name];
    if (key !== undefined) values.set(logicalId("codeKeyParameter", fn.name), key);
    if (fn.health) {
      secrets.add(logicalId("healthCheckerIdParameter", fn.name));
      keepable.add(logicalId("healthForceFailParameter", fn.name));
    }
  }
  const out: Parameter[] = [];
  for (const [name, declared] of Object.entries(input.template.Parameters)) {
    const value = values.get(name);
    if (value !== undefined) {
      out.push({ ParameterKey: name, ParameterValue: value });
    } else if (secrets.has(name)) {
      if (input.healthCheckerId !== undefined)
        out.push({ ParameterKey: name, ParameterValue: input.healthCheckerId });
      else if (input.existing.has(name)) out.push({ ParameterKey: name, UsePreviousValue: true });
      else out.push({ ParameterKey: name, ParameterValue: generate() });
    } else if (input.existing.has(name) && (keepable.has(name) || declared.Default === undefined)) {
      out.push({ ParameterKey: name, UsePreviousValue: true });
    } else if (declared.Default === undefined) {
      throw new DeployError(
        DEPLOY_ERROR.parameter,
        `the template's parameter ${name} has no value and no Default; give it a Default in sluice.decorators.ts`,
        { context: { parameter: name } },
      );
    }
  }
  return out;
}

/**
 * The health checkers' secret this deploy sets for each function (the definition name → the
 * value), when it sets one: given or generated. Absent when the stack keeps its own
 * (UsePreviousValue): a NoEcho value cannot be read back. The global stack's health checks
 * need the same secret (deploy-global.ts).
 */
export function healthCheckerIdsSet(spec: AppSpec, parameters: readonly Parameter[]): Record<string, string> {
  const set: Record<string, string> = {};
  for (const fn of Object.values(spec.functions)) {
    const id = logicalId("healthCheckerIdParameter", fn.name);
    const value = parameters.find((p) => p.ParameterKey === id)?.ParameterValue;
    if (fn.health && value !== undefined) set[fn.name] = value;
  }
  return set;
}

/** Parameter values a user must never see in output. */
export function secretValues(parameters: readonly Parameter[], template: Template): string[] {
  return parameters.flatMap((p) =>
    p.ParameterKey && template.Parameters[p.ParameterKey]?.NoEcho && p.ParameterValue
      ? [p.ParameterValue]
      : [],
  );
}
