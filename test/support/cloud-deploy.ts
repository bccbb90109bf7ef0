/**
 * A minimal stand-in for the CloudFormation engine in provider tests: creates a template's
 * resources in dependency order through the providers, resolving Ref, Fn::GetAtt, Fn::Sub and
 * Fn::Join, and returns the records the engine would keep. The engine's own tests cover templates.
 */
import { ManualClock } from "../../src/local/clock/clock.ts";
import type { DeployedResource } from "../../src/local/cloud-host/region-app.ts";
import type { ProviderRegistry, ResourceContext } from "../../src/local/cloudformation/resource-provider.ts";

export interface TemplateLike {
  readonly Parameters?: Record<string, unknown>;
  readonly Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[] }
  >;
}

export interface DeployWhere {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly endpointUrl: string;
}

export async function deployTemplate(
  template: TemplateLike,
  parameters: Record<string, string>,
  providers: ProviderRegistry,
  where: DeployWhere,
): Promise<DeployedResource[]> {
  const stackId = `arn:aws:cloudformation:${where.region}:${where.accountId}:stack/${where.stackName}/00000000-0000-0000-0000-000000000000`;
  const done = new Map<string, DeployedResource>();
  const pseudo: Record<string, string> = {
    "AWS::Region": where.region,
    "AWS::AccountId": where.accountId,
    "AWS::Partition": "aws",
    "AWS::StackName": where.stackName,
    "AWS::StackId": stackId,
    "AWS::URLSuffix": "amazonaws.com",
  };
  const ref = (name: string): unknown => {
    if (name in pseudo) return pseudo[name];
    if (name in parameters) return parameters[name];
    const resource = done.get(name);
    if (!resource) throw new Error(`Ref ${name} before it exists`);
    return resource.physicalId;
  };
  const getAtt = (id: string, attribute: string): unknown => {
    const value = done.get(id)?.attributes[attribute];
    if (value === undefined) throw new Error(`GetAtt ${id}.${attribute} missing`);
    return value;
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== "object" || value === null) return value;
    const entries = Object.entries(value);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key === "Ref") return ref(argument as string);
    if (entries.length === 1 && key === "Fn::GetAtt") {
      const [id, attribute] = Array.isArray(argument) ? argument : String(argument).split(".");
      return getAtt(String(id), String(attribute));
    }
    if (entries.length === 1 && key === "Fn::Join") {
      const [separator, items] = argument as [string, unknown[]];
      return (resolve(items) as unknown[]).join(separator);
    }
    if (entries.length === 1 && key === "Fn::Sub") {
      const [text, vars] = Array.isArray(argument) ? argument : [argument, {}];
      const own = resolve(vars) as Record<string, unknown>;
      return String(text).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
        if (name in own) return String(own[name]);
        const [id, attribute] = name.split(".");
        return String(attribute === undefined ? ref(name) : getAtt(String(id), attribute));
      });
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
  };
  const pending = new Map(Object.entries(template.Resources));
  while (pending.size > 0) {
    const ready = [...pending].find(([, declaration]) =>
      dependencies(declaration).every((d) => done.has(d) || !(d in template.Resources)),
    );
    if (!ready) throw new Error(`cycle among ${[...pending.keys()].join(", ")}`);
    const [logicalId, declaration] = ready;
    pending.delete(logicalId);
    const provider = providers(declaration.Type);
    if (!provider) throw new Error(`no provider for ${declaration.Type}`);
    const properties = resolve(declaration.Properties ?? {}) as Record<string, unknown>;
    const context: ResourceContext = {
      region: where.region,
      accountId: where.accountId,
      partition: "aws",
      stackName: where.stackName,
      stackId,
      logicalId,
      resourceType: declaration.Type,
      endpointUrl: where.endpointUrl,
      clock: new ManualClock(0),
    };
    const made = await provider.create(properties, context);
    done.set(logicalId, {
      stackName: where.stackName,
      stackId,
      logicalId,
      resourceType: declaration.Type,
      ...made,
      properties,
    });
  }
  return [...done.values()];
}

function dependencies(declaration: TemplateLike["Resources"][string]): string[] {
  const found = new Set<string>(declaration.DependsOn === undefined ? [] : [declaration.DependsOn].flat());
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === "Ref" && typeof inner === "string") found.add(inner);
      else if (key === "Fn::GetAtt")
        found.add(String(Array.isArray(inner) ? inner[0] : String(inner).split(".")[0]));
      else if (key === "Fn::Sub") {
        const text = Array.isArray(inner) ? inner[0] : inner;
        for (const m of String(text).matchAll(/\$\{([^}.]+)[^}]*\}/g)) found.add(String(m[1]));
        if (Array.isArray(inner)) walk(inner[1]);
      } else walk(inner);
    }
  };
  walk(declaration.Properties ?? {});
  return [...found].filter((d) => !d.startsWith("AWS::"));
}
