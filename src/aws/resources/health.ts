/**
 * What a function's built-in health check reads once deployed (runtime/health-check.ts): the
 * checker's shared secret from a NoEcho parameter, never a literal in the template (a value the
 * definition sets for `dev` is left out), and the forced-failure switch from a parameter, so
 * failover can be exercised with a stack update.
 */
import type { FunctionSpec } from "../../model/app-spec.ts";
import { ref } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateParameter, TemplateValue } from "../template/template.ts";

export function healthParameters(fn: FunctionSpec): Record<string, TemplateParameter> {
  const health = fn.health;
  if (!health) return {};
  return {
    [logicalId("healthCheckerIdParameter", fn.name)]: {
      Type: "String",
      NoEcho: true,
      MinLength: 1,
      Description: `Shared secret health checkers send to function "${fn.name}" as ?healthCheckerId= (its ${health.checkerIdVariable})`,
    },
    [logicalId("healthForceFailParameter", fn.name)]: {
      Type: "String",
      AllowedValues: ["false", "true"],
      Default: "false",
      Description: `"true" makes every health check of function "${fn.name}" fail, to exercise failover (its ${health.forceFailVariable})`,
    },
  };
}

/** The two variables, as references to the parameters above. */
export function healthVariables(fn: FunctionSpec): Record<string, TemplateValue> {
  const health = fn.health;
  if (!health) return {};
  return {
    [health.checkerIdVariable]: ref(logicalId("healthCheckerIdParameter", fn.name)),
    [health.forceFailVariable]: ref(logicalId("healthForceFailParameter", fn.name)),
  };
}
