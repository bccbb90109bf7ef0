/**
 * Checks that would otherwise fail only at deploy time, run at synth: every problem is
 * collected and reported together.
 */
import type { AppSpec } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { LIMITS } from "../model/limits.ts";
import { discoveryVariable } from "../model/naming.ts";
import { estimatedEnvironmentBytes } from "./resources/function-environment.ts";
import { PSEUDO_PARAMETERS } from "./template/intrinsics.ts";
import { checkTemplatePolicies } from "./template/policy-check.ts";
import type { Template, TemplateValue } from "./template/template.ts";

/** CloudFormation quotas (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). */
const CLOUDFORMATION_QUOTAS = {
  resources: 500,
  parameters: 200,
  outputs: 200,
  /** Bytes of a template uploaded through S3. */
  templateBytes: 1_000_000,
} as const;

export function checkDefinitionForSynth(spec: AppSpec): void {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const names = [
    ...Object.keys(spec.queues).map((n) => ["queue", n, discoveryVariable("QUEUE_URL", n)] as const),
    ...Object.keys(spec.functions).map(
      (n) => ["function", n, discoveryVariable("FUNCTION_NAME", n)] as const,
    ),
    ...Object.keys(spec.tables ?? {}).map((n) => ["table", n, discoveryVariable("TABLE_NAME", n)] as const),
  ];
  for (const [kind, name, variable] of names) {
    const other = seen.get(variable);
    if (other !== undefined) {
      problems.push(
        `${kind} "${name}" and ${other} share the discovery variable ${variable}; rename one of them`,
      );
    }
    seen.set(variable, `${kind} "${name}"`);
  }
  const limit = LIMITS.lambda.environmentSize.max;
  for (const fn of Object.values(spec.functions)) {
    const bytes = estimatedEnvironmentBytes(spec, fn);
    if (bytes > limit) {
      problems.push(
        `function "${fn.name}" would have about ${bytes} bytes of environment variables once deployed (its own plus the ` +
          `URLs and ARNs of what it consumes and routes to); Lambda allows ${limit}. Route to fewer components, ` +
          "use a list of names instead of a routing function, or shorten its variables",
      );
    }
  }
  fail(problems);
}

export function checkTemplate(template: Template): void {
  const problems: string[] = [];
  const resources = new Set(Object.keys(template.Resources));
  const referable = new Set([...resources, ...Object.keys(template.Parameters), ...PSEUDO_PARAMETERS]);
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const check = (where: string, value: TemplateValue | undefined) =>
    walkReferences(value, (kind, target) => {
      if (kind === "Ref" && !referable.has(target)) problems.push(`${where}: Ref to unknown ${target}`);
      if (kind === "GetAtt" && !resources.has(target))
        problems.push(`${where}: Fn::GetAtt of unknown resource ${target}`);
      if (kind === "Sub" && !referable.has(target))
        problems.push(`${where}: Fn::Sub names unknown \${${target}}`);
    });
  for (const [id, resource] of Object.entries(template.Resources)) {
    check(`resource ${id}`, resource.Properties);
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    for (const target of dependsOn) {
      if (!resources.has(target)) problems.push(`resource ${id}: DependsOn unknown resource ${target}`);
    }
    if (resource.Condition !== undefined && !conditions.has(resource.Condition)) {
      problems.push(`resource ${id}: unknown condition ${resource.Condition}`);
    }
  }
  for (const [id, output] of Object.entries(template.Outputs))
    check(`output ${id}`, output as unknown as TemplateValue);
  for (const problem of checkTemplatePolicies(template)) problems.push(`${problem.at}: ${problem.message}`);
  const counts = [
    ["resources", Object.keys(template.Resources).length, CLOUDFORMATION_QUOTAS.resources],
    ["parameters", Object.keys(template.Parameters).length, CLOUDFORMATION_QUOTAS.parameters],
    ["outputs", Object.keys(template.Outputs).length, CLOUDFORMATION_QUOTAS.outputs],
  ] as const;
  for (const [what, count, max] of counts) {
    if (count > max)
      problems.push(`the template has ${count} ${what}; CloudFormation allows ${max} per stack`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(template));
  if (bytes > CLOUDFORMATION_QUOTAS.templateBytes) {
    problems.push(
      `the template is ${bytes} bytes; CloudFormation accepts ${CLOUDFORMATION_QUOTAS.templateBytes}`,
    );
  }
  fail(problems);
}

type ReferenceKind = "Ref" | "GetAtt" | "Sub";

/** Calls `found` for every logical ID the value refers to through Ref, Fn::GetAtt or Fn::Sub. */
function walkReferences(
  value: TemplateValue | undefined,
  found: (kind: ReferenceKind, target: string) => void,
): void {
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) walkReferences(item, found);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key === "Ref" && typeof inner === "string") found("Ref", inner);
    else if (key === "Fn::GetAtt") {
      const target = Array.isArray(inner)
        ? inner[0]
        : typeof inner === "string"
          ? inner.split(".")[0]
          : undefined;
      if (typeof target === "string") found("GetAtt", target);
      walkReferences(inner, found);
    } else if (key === "Fn::Sub") {
      const [text, variables] = Array.isArray(inner) ? [inner[0], inner[1]] : [inner, undefined];
      const local = new Set(
        typeof variables === "object" && variables !== null ? Object.keys(variables) : [],
      );
      if (typeof text === "string") {
        for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = (match[1] ?? "").split(".")[0] ?? "";
          if (!local.has(name)) found("Sub", name);
        }
      }
      walkReferences(variables, found);
    } else walkReferences(inner, found);
  }
}

function fail(problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new SluiceError(
    "SLUICE_SYNTH",
    `cannot synthesise the template:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    { context: { problems } },
  );
}
